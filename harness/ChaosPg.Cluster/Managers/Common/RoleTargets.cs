using ChaosPg.Core.Schedule;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>
/// Resolves the role targets of a managed scenario when its step runs: <c>leader</c> is the member the manager names
/// leader; <c>replica</c> the first member that is not the leader and that it reports <c>running</c> (Patroni 3.0.2 says so of a
/// streaming replica) or <c>streaming</c>, in name order.
/// </summary>
public static class RoleTargets
{
    /// <summary>The node <paramref name="role"/> stands for in <paramref name="view"/>; null when the view has none (no leader, no running replica).</summary>
    public static string? Resolve(string role, ManagerView? view)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (view is null)
        {
            return null;
        }

        return role switch
        {
            NodeNames.Leader => view.Leader,
            NodeNames.AnyReplica => view.Members
                .Where(m => !m.IsLeader && m.State is "running" or "streaming")
                .Select(m => m.Name)
                .Order(StringComparer.Ordinal)
                .FirstOrDefault(),
            _ => throw new ArgumentException($"{role} is not a role target; expected {NodeNames.Leader} or {NodeNames.AnyReplica}", nameof(role)),
        };
    }
}
