using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Checkers;

/// <summary>The input of every checker: the history, the final node states, and shared derived indexes.</summary>
/// <remarks>Not thread-safe: the suite runs checkers one after the other so each snapshot is indexed once.</remarks>
public sealed class CheckContext
{
    private readonly Dictionary<string, NodeRows> rows = new(StringComparer.Ordinal);

    public CheckContext(History history, FinalState finalState)
    {
        History = history ?? throw new ArgumentNullException(nameof(history));
        FinalState = finalState ?? throw new ArgumentNullException(nameof(finalState));
    }

    public History History { get; }

    public FinalState FinalState { get; }

    /// <summary>The rows of a reachable node's snapshot, indexed by write; null when the node has no reachable snapshot.</summary>
    public NodeRows? RowsOf(string node)
    {
        if (rows.TryGetValue(node, out var cached))
        {
            return cached;
        }

        var snapshot = FinalState.Find(node);
        if (snapshot is null || !snapshot.Reachable)
        {
            return null;
        }

        // Converged nodes usually hold the same rows in the same order (the runner reads them ORDER BY write id):
        // comparing sequentially is far cheaper than hashing every id again.
        foreach (var indexed in rows.Values)
        {
            if (indexed.Snapshot.WriteIds.AsSpan().SequenceEqual(snapshot.WriteIds.AsSpan()))
            {
                var shared = indexed with { Snapshot = snapshot };
                rows.Add(node, shared);
                return shared;
            }
        }

        var counts = new int[History.Writes.Length];
        var unknown = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var writeId in snapshot.WriteIds)
        {
            if (History.TryGetWriteIndex(writeId, out var index))
            {
                counts[index]++;
            }
            else
            {
                unknown[writeId] = unknown.GetValueOrDefault(writeId) + 1;
            }
        }

        var result = new NodeRows(snapshot, ImmutableCollectionsMarshal.AsImmutableArray(counts), unknown.ToImmutableSortedDictionary(StringComparer.Ordinal));
        rows.Add(node, result);
        return result;
    }
}
