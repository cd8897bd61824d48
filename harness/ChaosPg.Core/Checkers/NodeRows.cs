using System.Collections.Immutable;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Checkers;

/// <summary>A node snapshot's rows mapped onto the history's compact write indexes.</summary>
/// <param name="Counts">Rows per write index (position in History.Writes): 0 absent, 1 present, more is a duplicate.</param>
/// <param name="UnknownIds">Rows whose write id no operation in the history wrote, with their row counts.</param>
public sealed record NodeRows(NodeSnapshot Snapshot, ImmutableArray<int> Counts, ImmutableSortedDictionary<string, int> UnknownIds);
