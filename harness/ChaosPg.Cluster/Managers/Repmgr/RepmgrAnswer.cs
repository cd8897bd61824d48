using System.Collections.Immutable;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>What one node's server said when asked for repmgr's view: its own state and its copy of <c>repmgr.nodes</c>.</summary>
/// <param name="From">The node asked.</param>
/// <param name="InRecovery">Its <c>pg_is_in_recovery()</c>.</param>
/// <param name="Timeline">Its timeline while it accepts writes (0 in recovery).</param>
/// <param name="Paused">Its repmgrd's pause flag (<c>repmgr.repmgrd_is_paused()</c>).</param>
/// <param name="Rows">Its rows of <c>repmgr.nodes</c>.</param>
public sealed record RepmgrAnswer(string From, bool InRecovery, int Timeline, bool Paused, ImmutableArray<RepmgrNodeRow> Rows);
