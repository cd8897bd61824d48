namespace ChaosPg.Cluster.Target;

/// <summary>A role change the harness did not make: a node became primary (an operator or a manager promoted it), or a primary stepped down.</summary>
/// <param name="Node">The node whose role changed.</param>
/// <param name="IsPrimary">True when it is primary now.</param>
/// <param name="Timeline">Its timeline as seen.</param>
/// <param name="PreviousPrimary">The primary the harness knew before.</param>
public sealed record ObservedRoleChange(string Node, bool IsPrimary, int Timeline, string PreviousPrimary);
