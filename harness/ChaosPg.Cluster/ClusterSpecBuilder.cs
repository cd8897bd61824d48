using System.Collections.Immutable;

namespace ChaosPg.Cluster;

/// <summary>Immutable builder of <see cref="ClusterSpec"/>; every With* returns a new builder and <see cref="Build"/> validates.</summary>
public sealed record ClusterSpecBuilder
{
    // Settings the harness owns: letting a scenario override them would break durability, isolation or routing.
    private static readonly ImmutableHashSet<string> OwnedSettings = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "fsync", "full_page_writes", "listen_addresses", "port", "unix_socket_directories", "hot_standby",
        "synchronous_standby_names", "synchronous_commit", "wal_level", "primary_conninfo", "primary_slot_name",
        "password_encryption", "cluster_name");

    public int Replicas { get; init; } = 1;

    public ReplicationMode ReplicationMode { get; init; } = ReplicationMode.Async;

    public int Quorum { get; init; } = 1;

    public SynchronousCommit SynchronousCommit { get; init; } = SynchronousCommit.On;

    public SyncAfterPromotion SyncAfterPromotion { get; init; } = SyncAfterPromotion.Surviving;

    public string? PgBinDirectory { get; init; }

    public ImmutableSortedDictionary<string, string> ExtraSettings { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    public ClusterSpecBuilder WithReplicas(int replicas) => this with { Replicas = replicas };

    public ClusterSpecBuilder WithReplicationMode(ReplicationMode mode) => this with { ReplicationMode = mode };

    public ClusterSpecBuilder WithQuorum(int quorum) => this with { Quorum = quorum };

    public ClusterSpecBuilder WithSynchronousCommit(SynchronousCommit level) => this with { SynchronousCommit = level };

    public ClusterSpecBuilder WithSyncAfterPromotion(SyncAfterPromotion choice) => this with { SyncAfterPromotion = choice };

    public ClusterSpecBuilder WithPgBinDirectory(string? directory) => this with { PgBinDirectory = directory };

    public ClusterSpecBuilder WithSetting(string name, string value) =>
        this with { ExtraSettings = ExtraSettings.SetItem(name, value) };

    /// <summary>Validates and returns the spec; throws <see cref="ClusterConfigurationException"/> naming what is wrong.</summary>
    public ClusterSpec Build()
    {
        if (Replicas is < 1 or > 5)
        {
            throw new ClusterConfigurationException($"replicas must be between 1 and 5, got {Replicas}.");
        }

        if (!Enum.IsDefined(ReplicationMode))
        {
            throw new ClusterConfigurationException($"unknown replication mode {ReplicationMode}; expected async, sync or quorum.");
        }

        if (ReplicationMode != ReplicationMode.Async && (Quorum < 1 || Quorum > Replicas))
        {
            throw new ClusterConfigurationException($"quorum must be between 1 and the replica count ({Replicas}), got {Quorum}.");
        }

        if (!Enum.IsDefined(SynchronousCommit))
        {
            throw new ClusterConfigurationException($"unknown synchronous_commit level {SynchronousCommit}.");
        }

        if (!Enum.IsDefined(SyncAfterPromotion))
        {
            throw new ClusterConfigurationException($"unknown choice after a promotion {SyncAfterPromotion}; expected surviving or none.");
        }

        foreach (var (name, value) in ExtraSettings)
        {
            if (OwnedSettings.Contains(name))
            {
                throw new ClusterConfigurationException(
                    $"setting '{name}' is managed by the harness and cannot be overridden (durability stays on; use the spec's options for replication).");
            }

            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                throw new ClusterConfigurationException($"'{name}' is not a valid server setting name.");
            }

            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                throw new ClusterConfigurationException($"setting '{name}' has a line break in its value.");
            }
        }

        return new ClusterSpec(
            Replicas,
            ReplicationMode,
            ReplicationMode == ReplicationMode.Async ? 1 : Quorum,
            SynchronousCommit,
            SyncAfterPromotion,
            string.IsNullOrWhiteSpace(PgBinDirectory) ? null : PgBinDirectory,
            ExtraSettings);
    }
}
