namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>One row of <c>repmgr.nodes</c>.</summary>
/// <param name="Name">node_name.</param>
/// <param name="Type">type: <c>primary</c>, <c>standby</c> or <c>witness</c>.</param>
/// <param name="Active">active: false for a primary a promotion replaced, or a node repmgr marked failed.</param>
/// <param name="Upstream">The upstream's node_name, for a standby or the witness.</param>
public sealed record RepmgrNodeRow(string Name, string Type, bool Active, string? Upstream);
