namespace ChaosPg.Cluster.Managers.Common;

/// <summary>One role change of a managed cluster, with when it was observed and what it was observed from.</summary>
/// <param name="At">When the observation that showed it was taken.</param>
/// <param name="Kind">What changed.</param>
/// <param name="Node">The node it concerns: the new leader, the demoted or promoted server; the old leader for a lost lock.</param>
/// <param name="From">The previous value (leader, timeline), when there is one.</param>
/// <param name="To">The new value, when there is one.</param>
/// <param name="Evidence">Where it was seen: <c>patroni /cluster</c> or <c>pg_is_in_recovery()</c>, and the values.</param>
public sealed record RoleChange(DateTimeOffset At, RoleChangeKind Kind, string? Node, string? From, string? To, string Evidence);
