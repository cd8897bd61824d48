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
    private readonly int[] count;
    private readonly long[] earliest;
    private int next;
    private int lastRank;
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

        // The distinct seqs, ascending, end up at the start of the array; seqs are given out at invoke, so listed by
        // invoke they are nearly sorted already.
        seqs = new long[withSeq];
        withSeq = 0;
        foreach (var w in index.Acknowledged)
        {
            if (writes[w].HasSeq)
            {
                seqs[withSeq++] = writes[w].Seq;
            }
        }

        if (!NearlySorted.TrySort(seqs.AsSpan(), Span<byte>.Empty, default(Ascending)))
        {
            Array.Sort(seqs);
        }

        foreach (var seq in seqs)
        {
            if (distinct == 0 || seq != seqs[distinct - 1])
            {
                seqs[distinct++] = seq;
            }
        }

        count = new int[distinct + 1];
        earliest = new long[distinct + 1];
        Array.Fill(earliest, long.MaxValue);
    }

    /// <summary>How many writes acked strictly before <paramref name="beforeMicros"/> have seq above <paramref name="seen"/>, and the earliest of their acks.</summary>
    public (long Count, long EarliestAck) UnseenBefore(long beforeMicros, long seen)
    {
        var byAck = index.ByAck;
        var writes = index.Writes;
        while (next < byAck.Length && writes[byAck[next]].EndMicros < beforeMicros)
        {
            var write = writes[byAck[next++]];
            if (write.HasSeq)
            {
                // Acks come nearly in seq order, so the rank is found next to the previous one.
                lastRank = UpperBound(write.Seq, lastRank) - 1;
                Insert(lastRank, write.EndMicros);
            }
        }

        if (highestRank < 0 || seqs[highestRank] <= seen)
        {
            return (0, long.MaxValue);
        }

        // Reads see a seq close to the latest acknowledged one: search from there.
        long total = 0, first = long.MaxValue;
        for (var p = distinct - UpperBound(seen, highestRank); p > 0; p &= p - 1)
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

    // The number of distinct seqs at or below value, galloping from the rank hint before a binary search, so a value
    // near the hint costs a few steps instead of log n.
    private int UpperBound(long value, int hint)
    {
        if (distinct == 0)
        {
            return 0;
        }

        hint = Math.Clamp(hint, 0, distinct - 1);
        int lo, hi, step = 1;
        if (seqs[hint] > value)
        {
            hi = hint;
            while (hi - step >= 0 && seqs[hi - step] > value)
            {
                hi -= step;
                step <<= 1;
            }

            lo = Math.Max(0, hi - step + 1);
        }
        else
        {
            lo = hint + 1;
            while (lo + step - 1 < distinct && seqs[lo + step - 1] <= value)
            {
                lo += step;
                step <<= 1;
            }

            hi = Math.Min(distinct, lo + step - 1);
        }

        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (seqs[mid] <= value)
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

    private readonly struct Ascending : IComparer<long>
    {
        public int Compare(long x, long y) => x.CompareTo(y);
    }
}
