using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The cluster a scenario runs on: one primary and <see cref="Replicas"/> replicas. <see cref="Quorum"/> is k of
/// <c>FIRST k</c> (sync, default 1) or <c>ANY k</c> (quorum, required); <see cref="Settings"/> are extra
/// postgresql.conf settings for every node. <see cref="Network"/> and <see cref="Manager"/> choose the provider's
/// network mode and HA manager (proxy and none unless the scenario says otherwise).
/// </summary>
public sealed record ScenarioCluster(
    int Replicas,
    ReplicationMode Replication,
    int? Quorum,
    string SynchronousCommit,
    ImmutableSortedDictionary<string, string> Settings)
{
    /// <summary>The values <c>synchronous-commit</c> accepts, as PostgreSQL spells them.</summary>
    public static readonly ImmutableArray<string> SynchronousCommitValues = ["on", "remote_apply", "remote_write", "local", "off"];

    /// <summary>How links are carried and faulted (<c>cluster.network</c>): <c>proxy</c> unless the scenario says otherwise.</summary>
    public string Network { get; init; } = ClusterAxisNames.Proxy;

    /// <summary>Who decides failover (<c>cluster.manager</c>): <c>none</c> (the scenario promotes) unless it says otherwise.</summary>
    public string Manager { get; init; } = ClusterAxisNames.None;

    /// <summary>
    /// The cluster spec to bring up: replication mode, k (FIRST k or ANY k), synchronous_commit and the extra settings.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">A setting the cluster refuses.</exception>
    public ClusterSpec ToClusterSpec(string? pgBinDirectory)
    {
        var builder = ClusterSpec.CreateBuilder()
            .WithReplicas(Replicas)
            .WithReplicationMode(Replication)
            .WithQuorum(Quorum ?? 1)
            .WithSynchronousCommit(Enum.Parse<ChaosPg.Cluster.SynchronousCommit>(SynchronousCommit.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true))
            .WithPgBinDirectory(pgBinDirectory);
        foreach (var (name, value) in Settings)
        {
            builder = builder.WithSetting(name, value);
        }

        return builder.Build();
    }

    public bool Equals(ScenarioCluster? other) =>
        other is not null
        && Replicas == other.Replicas
        && Replication == other.Replication
        && Quorum == other.Quorum
        && SynchronousCommit == other.SynchronousCommit
        && Settings.SequenceEqual(other.Settings)
        && Network == other.Network
        && Manager == other.Manager;

    public override int GetHashCode() => HashCode.Combine(Replicas, Replication, Quorum, SynchronousCommit, Settings.Count, Network, Manager);
}
