using System.Collections.Immutable;

namespace ChaosPg.Core.Histories;

/// <summary>
/// The immutable, paired record of one run: operations sorted by invoke time, events sorted by start time.
/// Build it with <see cref="HistoryBuilder"/> or load it with <see cref="HistoryReader"/>; the line order of the
/// file does not matter.
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, int> writeIndex;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> writeIndexBySpan;

    internal History(
        RunStarted? header,
        ImmutableArray<Operation> operations,
        ImmutableArray<RecordedEvent> events,
        long endMicros,
        bool tornTail,
        ImmutableArray<string> problems,
        Dictionary<string, int> writeIndex,
        ImmutableArray<Operation> writes,
        ImmutableArray<string> nodes)
    {
        Nodes = nodes;
        Header = header;
        Operations = operations;
        Events = events;
        EndMicros = endMicros;
        TornTail = tornTail;
        Problems = problems;
        this.writeIndex = writeIndex;
        writeIndexBySpan = writeIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        Writes = writes;
    }

    /// <summary>The run header line, when the history has one.</summary>
    public RunStarted? Header { get; }

    /// <summary>The node that was primary when the run started ("primary" when the header is missing).</summary>
    public string InitialPrimary => Header?.InitialPrimary ?? "primary";

    /// <summary>Every operation, ordered by invoke time then id.</summary>
    public ImmutableArray<Operation> Operations { get; }

    /// <summary>The write operations, ordered by invoke time then id; a write's position here is its compact index.</summary>
    public ImmutableArray<Operation> Writes { get; }

    /// <summary>Every node an operation ran on or a node-level event (kill, pause, restart, promote, rejoin, fence) targeted, sorted.</summary>
    public ImmutableArray<string> Nodes { get; }

    /// <summary>Every event, ordered by start time then id.</summary>
    public ImmutableArray<RecordedEvent> Events { get; }

    /// <summary>The latest time recorded in the history; unfinished operations and events end here.</summary>
    public long EndMicros { get; }

    /// <summary>True when the last line of the file was cut short (the harness was killed while writing it).</summary>
    public bool TornTail { get; }

    /// <summary>Inconsistencies that did not stop loading (a completion without invoke, a reused write id...).</summary>
    public ImmutableArray<string> Problems { get; }

    /// <summary>Finds the compact index (position in <see cref="Writes"/>) of a write id.</summary>
    public bool TryGetWriteIndex(string writeId, out int index) => writeIndex.TryGetValue(writeId, out index);

    /// <summary>
    /// The history's own string for a write id it wrote, or null: lets loaders share rather than copy ids.
    /// <paramref name="next"/> is where the caller expects the id in <see cref="Writes"/>, and is moved past the one
    /// found: a table read without ORDER BY returns rows about in insert order, so a few comparisons usually find the
    /// id without hashing it (hashing half a million ids per node was most of loading the snapshots).
    /// </summary>
    internal string? FindWriteId(ReadOnlySpan<char> writeId, ref int next)
    {
        const int Lookahead = 8;
        var writes = Writes.AsSpan();
        for (var i = next; i < writes.Length && i < next + Lookahead; i++)
        {
            if (writeId.SequenceEqual(writes[i].WriteId))
            {
                next = i + 1;
                return writes[i].WriteId;
            }
        }

        if (!writeIndexBySpan.TryGetValue(writeId, out var index))
        {
            return null;
        }

        next = index + 1;
        return writes[index].WriteId;
    }

    /// <summary>The event window of an instant: the latest event started at or before it, and those active at it.</summary>
    public EventWindow WindowAt(long atMicros)
    {
        RecordedEvent? latest = null;
        var active = ImmutableArray.CreateBuilder<RecordedEvent>();
        foreach (var e in Events)
        {
            if (e.StartMicros > atMicros)
            {
                break;
            }

            latest = e;
            if (e.IsActiveAt(atMicros))
            {
                active.Add(e);
            }
        }

        return new EventWindow(latest, active.ToImmutable());
    }
}
