using ChaosPg.Cluster.Managers.Patroni;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// A cluster whose promotions are an HA manager's, not the harness's: it reports each role change it observes, and
/// the runner records them in the history without asking which manager it is.
/// </summary>
public interface IManagedCluster : IReplicatedCluster
{
    /// <summary>Raised for each role change the manager's observer sees (leader elected or changed, demoted, lock lost...).</summary>
    event Action<RoleChange>? RoleChanged;
}
