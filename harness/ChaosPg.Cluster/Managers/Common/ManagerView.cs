using System.Collections.Immutable;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>What one answer of the manager says: the members, the leader, maintenance mode, and where it came from.</summary>
/// <param name="Source">Where the view was read, for evidence: <c>patroni /cluster</c>, <c>repmgr cluster show</c>, ...</param>
/// <param name="Members">Every member it lists.</param>
/// <param name="Paused">True while its maintenance mode is on (it neither fails over nor restarts anything).</param>
public sealed record ManagerView(string Source, ImmutableArray<ManagerMember> Members, bool Paused)
{
    /// <summary>The member the manager holds as leader; null when it has none.</summary>
    public string? Leader => Members.FirstOrDefault(m => m.IsLeader)?.Name;

    /// <summary>The member named <paramref name="name"/>, or null when the manager does not list it (for Patroni: its key expired).</summary>
    public ManagerMember? this[string name] => Members.FirstOrDefault(m => m.Name == name);
}
