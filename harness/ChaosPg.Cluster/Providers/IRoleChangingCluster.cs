using ChaosPg.Cluster.Managers.Common;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// A cluster whose roles someone other than the harness changes: an HA manager ChaosPg started
/// (<see cref="IManagedCluster"/>), or whoever runs a target (an operator, a manager ChaosPg did not start). One
/// observer (<see cref="ManagerObserver"/>) polls its nodes; the runner records each change it reports in the history
/// as decided by <see cref="Manager"/>, and takes the final snapshot's primary from the cluster, not the schedule.
/// </summary>
public interface IRoleChangingCluster : IReplicatedCluster
{
    /// <summary>Raised for each role change the observer sees that the harness did not make (promoted, demoted, leader changed...).</summary>
    event Action<RoleChange>? RoleChanged;

    /// <summary>Who decides: the manager's name (<c>patroni</c>, <c>repmgr</c>, <c>pg_auto_failover</c>), or <c>target</c> for a target's own.</summary>
    string Manager { get; }
}
