using ChaosPg.Core.Schedule;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Who decides failover: <c>none</c> (the scenario promotes, <see cref="Managers.None"/>). A manager that runs
/// PostgreSQL itself (Patroni) starts the nodes its own way, with the backend's processes or containers and the
/// network's router; <c>none</c> lets the backend start them.
/// </summary>
public interface IClusterManager : IClusterAxisPart
{
    /// <summary>True when this manager can run on <paramref name="backend"/>.</summary>
    bool Supports(IClusterBackend backend);

    /// <summary>Brings the cluster up under this manager and returns once it has a primary and every replica streams.</summary>
    Task<BackendCluster> StartAsync(ClusterRequest request, IClusterBackend backend, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default);

    /// <summary>
    /// What schedules may name in the cluster this manager would run for <paramref name="request"/>, known without
    /// starting it (its auxiliaries and each node's links), so a scenario is validated before anything starts; null
    /// when the manager owns nothing of the roles (<c>none</c>: the schedule promotes).
    /// </summary>
    ManagedTopology? Topology(ClusterRequest request) => null;
}
