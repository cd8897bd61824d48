using System.Collections.Immutable;

namespace ChaosPg.Core.Snapshots;

/// <summary>The final state of one node, read after the run healed and (hopefully) converged.</summary>
/// <param name="Node">The node name ("primary", "replica1", ...).</param>
/// <param name="Reachable">False when the harness could not connect; then the other fields are empty.</param>
/// <param name="WriteIds">
/// Every write id stored in the workload table, one entry per row: a row stored twice appears twice, so duplicates are
/// representable. Order does not matter.
/// </param>
/// <param name="Digest">A digest of the rows' full contents computed by the node (e.g. md5 of the ordered rows); equal
/// digests mean equal tables.</param>
/// <param name="Error">Why the node was unreachable, when it was.</param>
public sealed record NodeSnapshot(
    string Node,
    bool Reachable,
    NodeRole Role,
    int? Timeline,
    Lsn? CurrentLsn,
    Lsn? FlushLsn,
    Lsn? ReplayLsn,
    ImmutableArray<string> WriteIds,
    string? Digest,
    string? Error = null)
{
    /// <summary>A snapshot of a node the harness could not reach.</summary>
    public static NodeSnapshot Unreachable(string node, string error) =>
        new(node, false, NodeRole.Unknown, null, null, null, null, [], null, error);
}
