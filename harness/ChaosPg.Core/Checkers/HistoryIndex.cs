using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// The history reduced, in one pass over its operations, to compact records every checker shares: the writes as
/// 32-byte structs by compact write index, the acknowledged, failed and indeterminate writes as index lists, the
/// acknowledged writes in ack order, the ok reads with dense session ids, and node names as dense ids. Checkers loop
/// over these arrays instead of chasing a million operation objects each, and go back to the operations only to
/// write evidence.
/// </summary>
internal sealed class HistoryIndex
{
    private readonly NameIds nodes = new();
    private readonly ReadRecord[] okReads;
    private readonly int okReadCount;

    public HistoryIndex(History history)
    {
        InitialPrimary = nodes.IdOf(history.InitialPrimary);
        Timeline = new PrimaryTimeline(history);
        PromotionNodes = [.. Timeline.Promotions.Select(p => nodes.IdOf(p.Target))];

        var operations = history.Operations;
        var writes = history.Writes;
        Writes = new WriteRecord[writes.Length];
        okReads = new ReadRecord[operations.Length - writes.Length];
        var clients = new NameIds();
        var sessions = new Dictionary<long, int>();
        var sessionNodes = new List<int>();
        long firstInvoke = long.MaxValue, lastEnd = long.MinValue;
        int acknowledged = 0, failed = 0, indeterminate = 0, w = 0;

        // Writes is the subsequence of Operations that the checkers judge (kind write, unique write id), in the same
        // order, so one pass with a cursor into Writes visits every operation object once.
        for (var i = 0; i < operations.Length; i++)
        {
            var op = operations[i];
            if (w < writes.Length && ReferenceEquals(op, writes[w]))
            {
                Writes[w++] = new WriteRecord(op.InvokeMicros, op.EndMicros, op.Seq, nodes.IdOf(op.Node), op.Outcome, op.HungUntilStop);
                firstInvoke = Math.Min(firstInvoke, op.InvokeMicros);
                lastEnd = Math.Max(lastEnd, op.EndMicros);
                switch (op.Outcome)
                {
                    case OperationOutcome.Ok:
                        acknowledged++;
                        break;
                    case OperationOutcome.Fail:
                        failed++;
                        break;
                    case OperationOutcome.Indeterminate:
                        indeterminate++;
                        break;
                    default:
                        break;
                }
            }
            else if (op.Kind == OperationKind.Read)
            {
                Reads++;
                if (op.Outcome != OperationOutcome.Ok || op.Read is null)
                {
                    continue;
                }

                var node = nodes.IdOf(op.Node);
                var key = ((long)clients.IdOf(op.Client) << 32) | (uint)node;
                if (!sessions.TryGetValue(key, out var session))
                {
                    session = sessionNodes.Count;
                    sessions.Add(key, session);
                    sessionNodes.Add(node);
                }

                okReads[okReadCount++] = new ReadRecord(op.InvokeMicros, op.Read.MaxSeq ?? long.MinValue, session, i);
            }
        }

        if (w != writes.Length)
        {
            throw new InvalidOperationException("History.Writes is not a subsequence of History.Operations");
        }

        FirstInvokeMicros = firstInvoke;
        LastEndMicros = lastEnd;
        SessionNodes = [.. sessionNodes];
        Acknowledged = new int[acknowledged];
        Failed = new int[failed];
        Indeterminate = new int[indeterminate];
        (acknowledged, failed, indeterminate) = (0, 0, 0);
        for (var i = 0; i < Writes.Length; i++)
        {
            switch (Writes[i].Outcome)
            {
                case OperationOutcome.Ok:
                    Acknowledged[acknowledged++] = i;
                    break;
                case OperationOutcome.Fail:
                    Failed[failed++] = i;
                    break;
                case OperationOutcome.Indeterminate:
                    Indeterminate[indeterminate++] = i;
                    break;
                default:
                    break;
            }
        }

        // Acks of short operations listed by invoke are nearly in time order already.
        ByAck = [.. Acknowledged];
        var byEnd = new ByEnd(Writes);
        if (!NearlySorted.TrySort(ByAck.AsSpan(), Span<byte>.Empty, byEnd))
        {
            ByAck.AsSpan().Sort(byEnd);
        }
    }

    /// <summary>Every judged write (History.Writes), by compact write index.</summary>
    public WriteRecord[] Writes { get; }

    /// <summary>Compact indexes of the writes acknowledged ok, ascending.</summary>
    public int[] Acknowledged { get; }

    /// <summary>Compact indexes of the writes whose outcome is fail, ascending.</summary>
    public int[] Failed { get; }

    /// <summary>Compact indexes of the writes whose outcome is indeterminate, ascending.</summary>
    public int[] Indeterminate { get; }

    /// <summary>The acknowledged writes' compact indexes ordered by ack time (ties in any order).</summary>
    public int[] ByAck { get; }

    /// <summary>The earliest invoke of any write (long.MaxValue when there is none).</summary>
    public long FirstInvokeMicros { get; }

    /// <summary>The latest end of any write (long.MinValue when there is none).</summary>
    public long LastEndMicros { get; }

    /// <summary>How many read operations the history holds, whatever their outcome.</summary>
    public long Reads { get; }

    /// <summary>The ok reads that saw a result, in History.Operations order.</summary>
    public ReadOnlySpan<ReadRecord> OkReads => okReads.AsSpan(0, okReadCount);

    /// <summary>The node id of each read session, by session id.</summary>
    public int[] SessionNodes { get; }

    public PrimaryTimeline Timeline { get; }

    /// <summary>The node id of each of <see cref="PrimaryTimeline.Promotions"/>.</summary>
    public int[] PromotionNodes { get; }

    /// <summary>The node id of the history's initial primary.</summary>
    public int InitialPrimary { get; }

    /// <summary>The dense id of a node name: equal names, equal ids.</summary>
    public int NodeId(string node) => nodes.IdOf(node);

    /// <summary>The i-th ack time in ascending order.</summary>
    public long AckTime(int i) => Writes[ByAck[i]].EndMicros;

    private readonly struct ByEnd(WriteRecord[] writes) : IComparer<int>
    {
        public int Compare(int x, int y) => writes[x].EndMicros.CompareTo(writes[y].EndMicros);
    }
}
