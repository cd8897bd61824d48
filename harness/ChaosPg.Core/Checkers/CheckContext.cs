using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Checkers;

/// <summary>The input of every checker: the history, the final node states, and shared derived indexes.</summary>
/// <remarks>Not thread-safe: the suite runs checkers one after the other so the history and each snapshot are indexed once.</remarks>
public sealed class CheckContext
{
    // How far from the guessed write a row may land for RowsOf to keep guessing: a few writers' worth of reordering.
    private const int GuessWindow = 64;
    private readonly Dictionary<string, NodeRows> rows = new(StringComparer.Ordinal);
    private HistoryIndex? index;

    public CheckContext(History history, FinalState finalState)
    {
        History = history ?? throw new ArgumentNullException(nameof(history));
        FinalState = finalState ?? throw new ArgumentNullException(nameof(finalState));
    }

    public History History { get; }

    public FinalState FinalState { get; }

    /// <summary>The history's compact records, built on first use and shared by every checker of this context.</summary>
    internal HistoryIndex Index => index ??= new HistoryIndex(History);

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

        // Converged nodes usually hold the same rows in the same order (they replayed the same WAL into the same heap):
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

        // The runner reads a heap table without ORDER BY, so rows mostly come in the order they were inserted, close to
        // the writes' invoke order: the write after the last one found is tried before hashing the id. A wrong guess
        // costs a cache miss, so guessing stops while rows land far from where the guess pointed.
        var writes = History.Writes;
        var counts = new int[writes.Length];
        var unknown = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        var guess = true;
        foreach (var writeId in snapshot.WriteIds)
        {
            if (guess && next < writes.Length && string.Equals(writes[next].WriteId, writeId, StringComparison.Ordinal))
            {
                counts[next++]++;
            }
            else if (History.TryGetWriteIndex(writeId, out var index))
            {
                counts[index]++;
                guess = Math.Abs(index - next) <= GuessWindow;
                next = index + 1;
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
