using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Cluster.Managers.Repmgr;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The cluster a scenario runs on: one primary and <see cref="Replicas"/> replicas. <see cref="Quorum"/> is k of
/// <c>FIRST k</c> (sync, default 1) or <c>ANY k</c> (quorum, required); <see cref="Settings"/> are extra
/// postgresql.conf settings for every node. <see cref="Network"/> and <see cref="Manager"/> choose the provider's
/// network mode and HA manager (proxy and none unless the scenario says otherwise).
/// <see cref="SyncAfterPromotion"/> is what a promoted node waits for under sync or quorum replication (null: not
/// given, which means <see cref="Cluster.SyncAfterPromotion.Surviving"/>).
/// </summary>
public sealed record ScenarioCluster(
    int Replicas,
    ReplicationMode Replication,
    int? Quorum,
    string SynchronousCommit,
    ImmutableSortedDictionary<string, string> Settings,
    SyncAfterPromotion? SyncAfterPromotion = null)
{
    /// <summary>The values <c>sync-after-promotion</c> accepts.</summary>
    public static readonly ImmutableArray<string> SyncAfterPromotionValues = ["surviving", "none"];

    /// <summary>The values <c>synchronous-commit</c> accepts, as PostgreSQL spells them.</summary>
    public static readonly ImmutableArray<string> SynchronousCommitValues = ["on", "remote_apply", "remote_write", "local", "off"];

    /// <summary>How links are carried and faulted (<c>cluster.network</c>): <c>proxy</c> unless the scenario says otherwise.</summary>
    public string Network { get; init; } = ClusterAxisNames.Proxy;

    /// <summary>Who decides failover (<c>cluster.manager</c>): <c>none</c> (the scenario promotes) unless it says otherwise.</summary>
    public string Manager { get; init; } = ClusterAxisNames.None;

    /// <summary>The settings of <c>cluster.manager: {name: patroni, ...}</c>; null when the scenario gives none (Patroni's defaults of the harness).</summary>
    public PatroniSettings? Patroni { get; init; }

    /// <summary>The settings of manager repmgr (<c>cluster.manager: {name: repmgr, witness: true}</c>); ignored by the other managers.</summary>
    public RepmgrSettings Repmgr { get; init; } = new();

    /// <summary><paramref name="request"/> with this cluster's network mode, manager and manager settings.</summary>
    public ClusterRequest ApplyTo(ClusterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { Network = Network, Manager = Manager, Patroni = Patroni ?? request.Patroni, Repmgr = Repmgr };
    }

    /// <summary>
    /// What the schedule may name of the manager's cluster (its auxiliaries, each node's links), from the manager part
    /// without starting it; null without a manager, or for a manager that is not available (an error of its own).
    /// </summary>
    public ManagedTopology? Topology() =>
        ClusterProviderRegistry.Default.Managers.TryGetValue(Manager, out var part)
            ? part.Topology(ApplyTo(new ClusterRequest(ClusterSpec.CreateBuilder().Build())))
            : null;

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
            .WithSyncAfterPromotion(SyncAfterPromotion ?? Cluster.SyncAfterPromotion.Surviving)
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
        && SyncAfterPromotion == other.SyncAfterPromotion
        && Settings.SequenceEqual(other.Settings)
        && Network == other.Network
        && Manager == other.Manager
        && Patroni == other.Patroni;

    public override int GetHashCode() => HashCode.Combine(Replicas, Replication, Quorum, SynchronousCommit, Settings.Count, Network, Manager);
}
