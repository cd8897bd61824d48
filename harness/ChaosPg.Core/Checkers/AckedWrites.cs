using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Answers "which writes acknowledged before time T have a seq above S?" for T that never decrease, in O(log n):
/// writes enter a segment tree over seq ranks in ack order, keeping per range a count and the earliest ack.
/// </summary>
internal sealed class AckedWrites
{
    private readonly long[] ackTimes;
    private readonly int[] ranks;
    private readonly long[] seqs;
    private readonly long[] count;
    private readonly long[] earliest;
    private readonly int size;
    private int next;

    public AckedWrites(ImmutableArray<Operation> writes)
    {
        var acked = new List<Operation>();
        foreach (var op in writes)
        {
            if (op.Outcome == OperationOutcome.Ok && op.Seq is not null)
            {
                acked.Add(op);
            }
        }

        // Rank by seq with one sort carrying positions, then order by ack time carrying ranks: no searching.
        var bySeq = new long[acked.Count];
        var positions = new int[acked.Count];
        for (var i = 0; i < acked.Count; i++)
        {
            bySeq[i] = acked[i].Seq!.Value;
            positions[i] = i;
        }

        Array.Sort(bySeq, positions);
        var rankOf = new int[acked.Count];
        var distinct = 0;
        for (var i = 0; i < bySeq.Length; i++)
        {
            if (distinct == 0 || bySeq[i] != bySeq[distinct - 1])
            {
                bySeq[distinct++] = bySeq[i];
            }

            rankOf[positions[i]] = distinct - 1;
        }

        seqs = bySeq[..distinct];
        ackTimes = new long[acked.Count];
        for (var i = 0; i < acked.Count; i++)
        {
            ackTimes[i] = acked[i].EndMicros;
        }

        ranks = rankOf;
        Array.Sort(ackTimes, ranks);

        size = Math.Max(1, seqs.Length);
        count = new long[2 * size];
        earliest = new long[2 * size];
        Array.Fill(earliest, long.MaxValue);
    }

    /// <summary>How many writes acked strictly before <paramref name="beforeMicros"/> have seq above <paramref name="seen"/>, and the earliest of their acks.</summary>
    public (long Count, long EarliestAck) UnseenBefore(long beforeMicros, long seen)
    {
        while (next < ackTimes.Length && ackTimes[next] < beforeMicros)
        {
            Insert(ranks[next], ackTimes[next]);
            next++;
        }

        var from = UpperBound(seen);
        long total = 0, first = long.MaxValue;
        for (int l = from + size, r = seqs.Length + size; l < r; l >>= 1, r >>= 1)
        {
            if ((l & 1) == 1)
            {
                total += count[l];
                first = Math.Min(first, earliest[l]);
                l++;
            }

            if ((r & 1) == 1)
            {
                r--;
                total += count[r];
                first = Math.Min(first, earliest[r]);
            }
        }

        return (total, first);
    }

    private void Insert(int rank, long ackMicros)
    {
        for (var p = rank + size; p >= 1; p >>= 1)
        {
            count[p]++;
            earliest[p] = Math.Min(earliest[p], ackMicros);
        }
    }

    private int UpperBound(long seen)
    {
        int lo = 0, hi = seqs.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (seqs[mid] <= seen)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
