namespace ChaosPg.Core.Checkers;

/// <summary>
/// Answers "which writes acknowledged before time T have a seq above S?" for T that never decrease, in O(log n):
/// acknowledged writes with a seq enter, in ack order, a Fenwick tree over their seq ranks from the highest down,
/// keeping per node a count and the earliest ack, so the seqs above S are a prefix.
/// </summary>
internal sealed class AckedWrites
{
    private readonly HistoryIndex index;
    private readonly long[] seqs;
    private readonly int distinct;
    private readonly int[] rankOfWrite;
    private readonly int[] count;
    private readonly long[] earliest;
    private int next;
    private int highestRank = -1;

    public AckedWrites(HistoryIndex index)
    {
        this.index = index;
        var writes = index.Writes;
        var withSeq = 0;
        foreach (var w in index.Acknowledged)
        {
            withSeq += writes[w].HasSeq ? 1 : 0;
        }

        // Rank by seq with one sort carrying write indexes; seqs are given out at invoke, so they are nearly sorted.
        var bySeq = new long[withSeq];
        var positions = new int[withSeq];
        withSeq = 0;
        foreach (var w in index.Acknowledged)
        {
            if (writes[w].HasSeq)
            {
                bySeq[withSeq] = writes[w].Seq;
                positions[withSeq++] = w;
            }
        }

        NearlySorted.Sort(bySeq, positions);
        rankOfWrite = new int[writes.Length];
        for (var i = 0; i < bySeq.Length; i++)
        {
            if (distinct == 0 || bySeq[i] != bySeq[distinct - 1])
            {
                bySeq[distinct++] = bySeq[i];
            }

            rankOfWrite[positions[i]] = distinct - 1;
        }

        // The distinct seqs, ascending, are the first `distinct` entries of bySeq.
        seqs = bySeq;
        count = new int[distinct + 1];
        earliest = new long[distinct + 1];
        Array.Fill(earliest, long.MaxValue);
    }

    /// <summary>How many writes acked strictly before <paramref name="beforeMicros"/> have seq above <paramref name="seen"/>, and the earliest of their acks.</summary>
    public (long Count, long EarliestAck) UnseenBefore(long beforeMicros, long seen)
    {
        var ackTimes = index.AckTimes;
        while (next < ackTimes.Length && ackTimes[next] < beforeMicros)
        {
            var w = index.ByAck[next];
            if (index.Writes[w].HasSeq)
            {
                Insert(rankOfWrite[w], ackTimes[next]);
            }

            next++;
        }

        if (highestRank < 0 || seqs[highestRank] <= seen)
        {
            return (0, long.MaxValue);
        }

        long total = 0, first = long.MaxValue;
        for (var p = distinct - FirstAbove(seen); p > 0; p &= p - 1)
        {
            total += count[p];
            first = Math.Min(first, earliest[p]);
        }

        return (total, first);
    }

    // Fenwick position of a rank: the highest seq is position 1, so "seq above S" is the prefix 1..(n - ranks up to S).
    private void Insert(int rank, long ackMicros)
    {
        highestRank = Math.Max(highestRank, rank);
        for (var p = distinct - rank; p < count.Length; p += p & -p)
        {
            count[p]++;
            earliest[p] = Math.Min(earliest[p], ackMicros);
        }
    }

    // The rank of the lowest seq above seen, given that the highest rank inserted is above it. Reads see a seq close
    // to the latest acknowledged one, so gallop down from there before the binary search.
    private int FirstAbove(long seen)
    {
        int hi = highestRank, step = 1;
        while (hi - step >= 0 && seqs[hi - step] > seen)
        {
            hi -= step;
            step <<= 1;
        }

        var lo = Math.Max(0, hi - step + 1);
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
