using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>
/// The dependency graph of a list-append history, inferred as Elle does: each key's version order is its longest
/// read (every other read must be a prefix of it); consecutive versions give ww edges, the last value a read saw gives
/// a wr edge from its writer, and the value after it gives a rw edge to its writer. Single bad reads (aborted,
/// intermediate, garbage, duplicate, incompatible) are collected on the way. Everything is arrays of ints: a
/// transaction is its index in <see cref="Txns"/>, a key its dense index, an edge its index in the edge arrays.
/// </summary>
internal sealed class TransactionGraph
{
    private readonly Dictionary<long, int> keyIds = [];
    private readonly List<long> keys = [];
    // (key, value) -> writer << 1 | intermediate. Values that fit an int (every workload's) share one long key with
    // the key id, hashed as a long: about twice as fast as a tuple key; others go to the tuple dictionary.
    private readonly Dictionary<(int Key, long Value), int> wideWriters = [];
    private Dictionary<long, int> writers = [];
    private readonly List<ImmutableArray<long>> longest = [];
    private readonly List<int> longestReader = [];
    private readonly List<int[]> orderWriters = [];
    private readonly List<ReadRef> reads = [];
    private readonly List<Bad> bad = [];
    private int[] src = new int[1024];
    private int[] dst = new int[1024];
    private DependencyKind[] kind = new DependencyKind[1024];
    private int[] edgeKey = new int[1024];
    private int[] edgeAux = new int[1024];

    public TransactionGraph(History history, ConsistencyModel model)
    {
        var txns = new List<Operation>();
        foreach (var op in history.Operations)
        {
            if (op.Kind == OperationKind.Txn)
            {
                txns.Add(op);
            }
        }

        Txns = [.. txns];
        var appends = 0;
        var readOps = 0;
        foreach (var op in Txns)
        {
            foreach (var micro in op.Transaction)
            {
                appends += micro.Kind == MicroOpKind.Append ? 1 : 0;
                readOps += micro.Kind == MicroOpKind.Read ? 1 : 0;
            }
        }

        writers = new Dictionary<long, int>(appends);
        reads.Capacity = readOps;
        var edges = appends + (2 * readOps) + (model.UsesRealtimeOrder() ? 6 * Txns.Length : model.UsesProcessOrder() ? Txns.Length : 0) + 16;
        src = new int[edges];
        dst = new int[edges];
        kind = new DependencyKind[edges];
        edgeKey = new int[edges];
        edgeAux = new int[edges];
        IndexWriters();
        IndexReads();
        OrderVersions();
        AddDataEdges();
        // A client runs one transaction at a time, so real-time order already holds each client's order.
        if (model.UsesProcessOrder() && !model.UsesRealtimeOrder())
        {
            AddProcessEdges();
        }

        if (model.UsesRealtimeOrder())
        {
            AddRealtimeEdges();
        }

        BuildAdjacency();
    }

    /// <summary>The transactions (operations of kind txn), in invoke order.</summary>
    public Operation[] Txns { get; }

    public int EdgeCount { get; private set; }

    /// <summary>Edge indexes grouped by source: those of transaction t are <c>OutEdges[OutStart[t]..OutStart[t+1]]</c>.</summary>
    public int[] OutStart { get; private set; } = [];

    public int[] OutEdges { get; private set; } = [];

    /// <summary>How many ok reads of keys the graph used.</summary>
    public int ReadCount => reads.Count;

    public int Source(int edge) => src[edge];

    public int Target(int edge) => dst[edge];

    public DependencyKind Kind(int edge) => kind[edge];

    /// <summary>The single bad reads found while inferring the version orders, as anomalies with their evidence.</summary>
    public IEnumerable<(AnomalyKind Kind, int Reader, int Writer, string Why)> BadReads()
    {
        foreach (var b in bad)
        {
            yield return (b.Kind, b.Reader, b.Writer, b.Why);
        }
    }

    /// <summary>Says why an edge exists, in words that can be checked against the history.</summary>
    public string Explain(int edge)
    {
        var from = Name(src[edge]);
        var to = Name(dst[edge]);
        switch (kind[edge])
        {
            case DependencyKind.WW:
            {
                var key = keys[edgeKey[edge]];
                var order = longest[edgeKey[edge]];
                var i = edgeAux[edge];
                return Invariant($"ww: {from} appended {order[i - 1]} to key {key} and {to} appended {order[i]}, the next value in key {key}'s version order {List(order)} (read by {Name(longestReader[edgeKey[edge]])})");
            }

            case DependencyKind.WR:
            {
                var read = reads[edgeAux[edge]];
                var values = ReadValues(read);
                return Invariant($"wr: {to} read key {keys[read.Key]} = {List(values)}, whose last value {values[read.External - 1]} {from} appended");
            }

            case DependencyKind.RW:
            {
                var read = reads[edgeAux[edge]];
                var values = ReadValues(read);
                var order = longest[read.Key];
                var seen = read.External == 0 ? "an empty list" : Invariant($"{List(values)} ending at {values[read.External - 1]}");
                return Invariant($"rw: {from} read key {keys[read.Key]} = {seen}, without {order[read.External]}, which {to} appended next in the version order {List(order)}");
            }

            case DependencyKind.Process:
                return Invariant($"process: {from} and then {to} ran on the same client {Txns[src[edge]].Client}");
            case DependencyKind.Realtime:
                return Invariant($"realtime: {from} completed at {Txns[src[edge]].EndMicros} us, before {to} was invoked at {Txns[dst[edge]].InvokeMicros} us");
            default:
                return "?";
        }
    }

    /// <summary>"op 12 (w3 on replica1, ok)": how evidence names a transaction.</summary>
    public string Name(int txn)
    {
        var op = Txns[txn];
        return Invariant($"op {op.Id} ({op.Client} on {op.Node}, {op.Outcome.ToString().ToLowerInvariant()})");
    }

    private static string List(ImmutableArray<long> values) =>
        values.Length <= 12 ? "[" + string.Join(' ', values) + "]" : "[" + string.Join(' ', values.Take(4)) + " ... " + string.Join(' ', values.Skip(values.Length - 6)) + "]";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private ImmutableArray<long> ReadValues(ReadRef read) => Txns[read.Txn].Transaction[read.Op].Values;

    private int KeyId(long key)
    {
        if (!keyIds.TryGetValue(key, out var id))
        {
            id = keys.Count;
            keyIds.Add(key, id);
            keys.Add(key);
            longest.Add([]);
            longestReader.Add(-1);
            orderWriters.Add([]);
        }

        return id;
    }

    // Every append of every transaction, whatever its outcome: a failed transaction's value that shows up in a read is
    // an aborted read, an indeterminate one's is proof that it committed. The flag marks values their writer followed
    // with another append to the same key (what an intermediate read would see).
    private void IndexWriters()
    {
        for (var t = 0; t < Txns.Length; t++)
        {
            var ops = Txns[t].Transaction;
            for (var i = 0; i < ops.Length; i++)
            {
                if (ops[i].Kind != MicroOpKind.Append)
                {
                    continue;
                }

                var key = KeyId(ops[i].Key);
                var intermediate = false;
                for (var j = i + 1; j < ops.Length && !intermediate; j++)
                {
                    intermediate = ops[j].Kind == MicroOpKind.Append && ops[j].Key == ops[i].Key;
                }

                if (!TryAddWriter(key, ops[i].Value, (t << 1) | (intermediate ? 1 : 0)))
                {
                    bad.Add(new Bad(AnomalyKind.DuplicateElements, -1, t, Invariant($"{Name(t)} appended {ops[i].Value} to key {ops[i].Key}, a value already appended by another transaction: values must be unique per key")));
                }
            }
        }
    }

    private bool TryAddWriter(int key, long value, int writer) =>
        value is >= int.MinValue and <= int.MaxValue ? writers.TryAdd(((long)key << 32) | (uint)(int)value, writer) : wideWriters.TryAdd((key, value), writer);

    private bool TryGetWriter(int key, long value, out int writer) =>
        value is >= int.MinValue and <= int.MaxValue ? writers.TryGetValue(((long)key << 32) | (uint)(int)value, out writer) : wideWriters.TryGetValue((key, value), out writer);

    private int WriterOf(int key, long value) => TryGetWriter(key, value, out var w) ? w >> 1 : -1;

    // Reads of committed transactions only: an aborted or unknown transaction's reads say nothing about what committed.
    // A read's external part stops before the values the transaction itself appended to that key.
    private void IndexReads()
    {
        for (var t = 0; t < Txns.Length; t++)
        {
            if (Txns[t].Outcome != OperationOutcome.Ok)
            {
                continue;
            }

            var ops = Txns[t].Transaction;
            for (var i = 0; i < ops.Length; i++)
            {
                if (!ops[i].HasValues)
                {
                    continue;
                }

                var key = KeyId(ops[i].Key);
                var values = ops[i].Values;
                var external = values.Length;
                while (external > 0 && WriterOf(key, values[external - 1]) == t)
                {
                    external--;
                }

                reads.Add(new ReadRef(t, key, i, external));
                if (values.Length > longest[key].Length)
                {
                    longest[key] = values;
                    longestReader[key] = t;
                }
            }
        }
    }

    private void OrderVersions()
    {
        var seen = new HashSet<long>();
        for (var key = 0; key < keys.Count; key++)
        {
            var order = longest[key];
            var ws = new int[order.Length];
            seen.Clear();
            for (var i = 0; i < order.Length; i++)
            {
                ws[i] = WriterOf(key, order[i]);
                if (order.Length <= 64 ? order.AsSpan(0, i).Contains(order[i]) : !seen.Add(order[i]))
                {
                    bad.Add(new Bad(AnomalyKind.DuplicateElements, longestReader[key], -1, Invariant($"{Name(longestReader[key])} read key {keys[key]} = {List(order)}, which holds {order[i]} twice")));
                }

                if (ws[i] < 0)
                {
                    bad.Add(new Bad(AnomalyKind.GarbageRead, longestReader[key], -1, Invariant($"{Name(longestReader[key])} read {order[i]} in key {keys[key]}, a value no transaction appended")));
                }
                else if (Txns[ws[i]].Outcome == OperationOutcome.Fail)
                {
                    bad.Add(new Bad(AnomalyKind.G1a, longestReader[key], ws[i], Invariant($"{Name(longestReader[key])} read key {keys[key]} = {List(order)}, which holds {order[i]}, appended by {Name(ws[i])}, a transaction that failed")));
                }
            }

            orderWriters[key] = ws;
        }

        for (var r = 0; r < reads.Count; r++)
        {
            var read = reads[r];
            var values = ReadValues(read);
            var order = longest[read.Key];
            if (!order.AsSpan(0, values.Length).SequenceEqual(values.AsSpan()))
            {
                bad.Add(new Bad(AnomalyKind.IncompatibleOrder, read.Txn, longestReader[read.Key], Invariant($"{Name(read.Txn)} read key {keys[read.Key]} = {List(values)}, which is not a prefix of {List(order)} read by {Name(longestReader[read.Key])}: no single version order explains both")));
                reads[r] = read with { Compatible = false };
                continue;
            }

            reads[r] = read with { Compatible = true };
            if (read.External > 0)
            {
                var last = values[read.External - 1];
                if (TryGetWriter(read.Key, last, out var w) && (w >> 1) != read.Txn && (w & 1) == 1)
                {
                    bad.Add(new Bad(AnomalyKind.G1b, read.Txn, w >> 1, Invariant($"{Name(read.Txn)} read key {keys[read.Key]} = {List(values)}, ending at {last}, an intermediate value: {Name(w >> 1)} appended more to key {keys[read.Key]} after it in the same transaction")));
                }
            }
        }
    }

    private void AddDataEdges()
    {
        for (var key = 0; key < keys.Count; key++)
        {
            var ws = orderWriters[key];
            for (var i = 1; i < ws.Length; i++)
            {
                if (ws[i - 1] >= 0 && ws[i] >= 0 && ws[i - 1] != ws[i])
                {
                    AddEdge(ws[i - 1], ws[i], DependencyKind.WW, key, i);
                }
            }
        }

        for (var r = 0; r < reads.Count; r++)
        {
            var read = reads[r];
            if (!read.Compatible)
            {
                continue;
            }

            var ws = orderWriters[read.Key];
            if (read.External > 0 && ws[read.External - 1] is var w && w >= 0 && w != read.Txn)
            {
                AddEdge(w, read.Txn, DependencyKind.WR, read.Key, r);
            }

            if (read.External < ws.Length && ws[read.External] is var next && next >= 0 && next != read.Txn)
            {
                AddEdge(read.Txn, next, DependencyKind.RW, read.Key, r);
            }
        }
    }

    private void AddProcessEdges()
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t < Txns.Length; t++)
        {
            if (Txns[t].Outcome != OperationOutcome.Ok)
            {
                continue;
            }

            if (last.TryGetValue(Txns[t].Client, out var previous))
            {
                AddEdge(previous, t, DependencyKind.Process, -1, -1);
            }

            last[Txns[t].Client] = t;
        }
    }

    // The transitive reduction of real-time order, as Elle builds it: when a transaction is invoked, it follows every
    // transaction of the frontier (completed, and not already followed by another completed one); when it completes it
    // replaces in the frontier those it followed.
    private void AddRealtimeEdges()
    {
        // Txns are in invoke order already; only the completions need sorting, then the two are merged.
        var okCount = 0;
        foreach (var op in Txns)
        {
            okCount += op.Outcome == OperationOutcome.Ok ? 1 : 0;
        }

        var ends = new long[okCount];
        var ended = new int[okCount];
        var invoked = new int[okCount];
        var i = 0;
        for (var t = 0; t < Txns.Length; t++)
        {
            if (Txns[t].Outcome == OperationOutcome.Ok)
            {
                ends[i] = Txns[t].EndMicros;
                ended[i] = t;
                invoked[i++] = t;
            }
        }

        Array.Sort(ends, ended);
        var items = new int[okCount * 2];
        int next = 0, e = 0;
        foreach (var t in invoked)
        {
            // At the same instant the invoke goes first: an edge needs the completion strictly before the invoke.
            while (e < okCount && ends[e] < Txns[t].InvokeMicros)
            {
                items[next++] = ended[e++] << 1;
            }

            items[next++] = (t << 1) | 1;
        }

        while (e < okCount)
        {
            items[next++] = ended[e++] << 1;
        }

        var inFrontier = new bool[Txns.Length];
        var frontier = new List<int>();
        var firstEdge = new int[Txns.Length];
        var edgeCount = new int[Txns.Length];
        foreach (var item in items)
        {
            var t = item >> 1;
            if ((item & 1) == 1)
            {
                var kept = 0;
                for (var f = 0; f < frontier.Count; f++)
                {
                    if (inFrontier[frontier[f]])
                    {
                        frontier[kept++] = frontier[f];
                    }
                }

                frontier.RemoveRange(kept, frontier.Count - kept);
                firstEdge[t] = EdgeCount;
                edgeCount[t] = frontier.Count;
                foreach (var f in frontier)
                {
                    AddEdge(f, t, DependencyKind.Realtime, -1, -1);
                }
            }
            else
            {
                for (var edge = firstEdge[t]; edge < firstEdge[t] + edgeCount[t]; edge++)
                {
                    inFrontier[src[edge]] = false;
                }

                inFrontier[t] = true;
                frontier.Add(t);
            }
        }
    }

    private void AddEdge(int from, int to, DependencyKind edgeKind, int key, int aux)
    {
        if (EdgeCount == src.Length)
        {
            var size = src.Length * 2;
            Array.Resize(ref src, size);
            Array.Resize(ref dst, size);
            Array.Resize(ref kind, size);
            Array.Resize(ref edgeKey, size);
            Array.Resize(ref edgeAux, size);
        }

        src[EdgeCount] = from;
        dst[EdgeCount] = to;
        kind[EdgeCount] = edgeKind;
        edgeKey[EdgeCount] = key;
        edgeAux[EdgeCount] = aux;
        EdgeCount++;
    }

    private void BuildAdjacency()
    {
        var start = new int[Txns.Length + 1];
        for (var e = 0; e < EdgeCount; e++)
        {
            start[src[e] + 1]++;
        }

        for (var t = 0; t < Txns.Length; t++)
        {
            start[t + 1] += start[t];
        }

        var fill = start.AsSpan(0, Txns.Length).ToArray();
        var edges = new int[EdgeCount];
        for (var e = 0; e < EdgeCount; e++)
        {
            edges[fill[src[e]]++] = e;
        }

        OutStart = start;
        OutEdges = edges;
    }

    private readonly record struct ReadRef(int Txn, int Key, int Op, int External, bool Compatible = true);

    private readonly record struct Bad(AnomalyKind Kind, int Reader, int Writer, string Why);
}
