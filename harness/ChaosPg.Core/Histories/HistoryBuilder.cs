using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ChaosPg.Core.Histories;

/// <summary>Pairs history lines, in any order, into a <see cref="History"/>. Not thread-safe; use once.</summary>
public sealed class HistoryBuilder
{
    private readonly Dictionary<long, OperationInvoked> pendingInvokes = [];
    private readonly Dictionary<long, OperationCompleted> pendingCompletions = [];
    private readonly List<Operation> operations = [];
    private readonly Dictionary<long, EventStarted> eventStarts = [];
    private readonly Dictionary<long, EventEnded> eventEnds = [];
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly SortedSet<string> nodes = new(StringComparer.Ordinal);
    private readonly List<string> problems = [];
    private RunStarted? header;
    private long endMicros;
    private bool tornTail;

    /// <summary>Adds one line; an operation is paired as soon as both its lines have been seen.</summary>
    public void Add(HistoryLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        endMicros = Math.Max(endMicros, line.AtMicros);
        switch (line)
        {
            case RunStarted run:
                header ??= run;
                break;
            case OperationInvoked invoke:
                AddInvoke(invoke);
                break;
            case OperationCompleted completion:
                AddCompletion(completion);
                break;
            case EventStarted start when !eventStarts.TryAdd(start.EventId, start):
                problems.Add(Invariant($"event {start.EventId} started twice; the second start is ignored"));
                break;
            case EventEnded end when !eventEnds.TryAdd(end.EventId, end):
                problems.Add(Invariant($"event {end.EventId} ended twice; the second end is ignored"));
                break;
            default:
                break;
        }
    }

    /// <summary>Records that the file's last line was torn and skipped.</summary>
    public void MarkTornTail() => tornTail = true;

    /// <summary>Pairs what is left, sorts, and returns the history.</summary>
    public History Build()
    {
        // endMicros is final here, so an operation that never completed ends at the end of the history.
        foreach (var invoke in pendingInvokes.Values)
        {
            operations.Add(Pair(invoke, null));
        }

        pendingInvokes.Clear();
        foreach (var completion in pendingCompletions.Values)
        {
            problems.Add(Invariant($"operation {completion.OperationId} completed but was never invoked; ignored"));
        }

        pendingCompletions.Clear();
        var sorted = WithoutReusedIds(SortByInvoke(operations));
        operations.Clear();

        var writeCount = 0;
        foreach (var op in sorted)
        {
            writeCount += op.Kind == OperationKind.Write ? 1 : 0;
        }

        var writes = ImmutableArray.CreateBuilder<Operation>(writeCount);
        var index = new Dictionary<string, int>(writeCount, StringComparer.Ordinal);
        foreach (var op in sorted)
        {
            if (op.Kind != OperationKind.Write)
            {
                continue;
            }

            if (op.WriteId is null)
            {
                problems.Add(Invariant($"write operation {op.Id} has no write id; ignored by the checkers"));
                continue;
            }

            if (!index.TryAdd(op.WriteId, writes.Count))
            {
                problems.Add(Invariant($"write id {op.WriteId} used by more than one operation; operation {op.Id} ignored"));
                continue;
            }

            writes.Add(op);
        }

        var events = new List<RecordedEvent>(eventStarts.Count);
        foreach (var start in eventStarts.Values)
        {
            eventEnds.Remove(start.EventId, out var end);
            if (start.Kind is EventKind.Kill or EventKind.Pause or EventKind.Restart or EventKind.Promote or EventKind.Rejoin or EventKind.Fence)
            {
                InternNode(start.Target);
            }

            events.Add(new RecordedEvent(
                start.EventId,
                start.Kind,
                Intern(start.Target),
                start.Parameters ?? ImmutableDictionary<string, string>.Empty,
                start.AtMicros,
                end?.AtMicros,
                end?.Ok,
                end?.Error));
        }

        foreach (var end in eventEnds.Values)
        {
            problems.Add(Invariant($"event {end.EventId} ended but never started; ignored"));
        }

        events.Sort(static (a, b) => a.StartMicros != b.StartMicros ? a.StartMicros.CompareTo(b.StartMicros) : a.Id.CompareTo(b.Id));
        problems.Sort(StringComparer.Ordinal);

        return new History(
            header,
            ImmutableCollectionsMarshal.AsImmutableArray(sorted),
            [.. events],
            endMicros,
            tornTail,
            [.. problems],
            index,
            writes.DrainToImmutable(),
            [.. nodes]);
    }

    // Operations arrive in completion order, close to invoke order, so an insertion sort finishes them without a key
    // array (16 MB per million). Otherwise, or when two share invoke time and id (an id reused at the same instant, whose
    // order the key sort has always decided), sort from arrival order on a primitive key array: several times faster
    // than a comparison delegate over a million records.
    private static Operation[] SortByInvoke(List<Operation> operations)
    {
        var items = operations.ToArray();
        if (NearlySorted.TrySort(items.AsSpan(), Span<byte>.Empty, default(InvokeOrder)) && AllDistinct(items))
        {
            return items;
        }

        operations.CopyTo(items);
        var keys = new (long Invoke, long Id)[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            keys[i] = (items[i].InvokeMicros, items[i].Id);
        }

        Array.Sort(keys, items);
        return items;
    }

    // An operation id reused after its first pair completed shows up as a second operation: keep the earliest invoke.
    // Checking here, once, is cheaper than remembering every paired id while loading.
    private Operation[] WithoutReusedIds(Operation[] sorted)
    {
        // The writer gives out ids in invoke order, so they usually rise already and nothing needs sorting.
        var rising = true;
        for (var i = 1; i < sorted.Length && rising; i++)
        {
            rising = sorted[i - 1].Id < sorted[i].Id;
        }

        if (rising)
        {
            return sorted;
        }

        var ids = new long[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            ids[i] = sorted[i].Id;
        }

        Array.Sort(ids);
        HashSet<long>? reused = null;
        for (var i = 1; i < ids.Length; i++)
        {
            if (ids[i] == ids[i - 1])
            {
                (reused ??= []).Add(ids[i]);
            }
        }

        if (reused is null)
        {
            return sorted;
        }

        var seen = new HashSet<long>();
        var kept = new List<Operation>(sorted.Length);
        foreach (var op in sorted)
        {
            if (!reused.Contains(op.Id) || seen.Add(op.Id))
            {
                kept.Add(op);
            }
            else
            {
                problems.Add(Invariant($"operation id {op.Id} used twice; the later operation is ignored"));
            }
        }

        return [.. kept];
    }

    private void AddInvoke(OperationInvoked invoke)
    {
        if (!pendingInvokes.TryAdd(invoke.OperationId, invoke))
        {
            problems.Add(Invariant($"operation {invoke.OperationId} invoked twice; the second invoke is ignored"));
            return;
        }

        if (pendingCompletions.Count > 0 && pendingCompletions.Remove(invoke.OperationId, out var completion))
        {
            pendingInvokes.Remove(invoke.OperationId);
            Complete(invoke, completion);
        }
    }

    // The usual completion finds its invoke pending: one hash lookup instead of an add and a remove besides.
    private void AddCompletion(OperationCompleted completion)
    {
        if (pendingInvokes.Remove(completion.OperationId, out var invoke))
        {
            Complete(invoke, completion);
        }
        else if (!pendingCompletions.TryAdd(completion.OperationId, completion))
        {
            problems.Add(Invariant($"operation {completion.OperationId} completed twice; the second completion is ignored"));
        }
    }

    private void Complete(OperationInvoked invoke, OperationCompleted completion) => operations.Add(Pair(invoke, completion));

    private Operation Pair(OperationInvoked invoke, OperationCompleted? completion) =>
        new(
            invoke.OperationId,
            Intern(invoke.Client),
            invoke.Kind,
            InternNode(invoke.Node),
            Intern(invoke.Link),
            invoke.AtMicros,
            completion?.AtMicros ?? endMicros,
            completion is not null,
            completion?.Outcome ?? OperationOutcome.Indeterminate,
            invoke.WriteId,
            invoke.Seq,
            invoke.Table is null ? null : Intern(invoke.Table),
            completion?.Error,
            completion?.CommitLsn,
            completion?.Read,
            completion is null || completion.Notices.IsDefault ? [] : completion.Notices,
            completion?.CancelledAtStop ?? false)
        {
            Transaction = completion is { Txn.IsDefault: false } ? completion.Txn : invoke.Txn,
        };

    // Node names are few, so the set is only touched the first time a name is seen.
    private string InternNode(string name)
    {
        if (names.TryGetValue(name, out var interned) && nodes.Contains(interned))
        {
            return interned;
        }

        interned = Intern(name);
        nodes.Add(interned);
        return interned;
    }

    private string Intern(string name)
    {
        if (names.TryGetValue(name, out var interned))
        {
            return interned;
        }

        names.Add(name, name);
        return name;
    }

    private static bool AllDistinct(Operation[] sorted)
    {
        for (var i = 1; i < sorted.Length; i++)
        {
            if (default(InvokeOrder).Compare(sorted[i - 1], sorted[i]) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private readonly struct InvokeOrder : IComparer<Operation>
    {
        public int Compare(Operation? x, Operation? y) =>
            x!.InvokeMicros != y!.InvokeMicros ? x.InvokeMicros.CompareTo(y.InvokeMicros) : x.Id.CompareTo(y.Id);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
