using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>Which node the harness made primary when: the initial primary, then each successful promotion from its end.</summary>
internal sealed class PrimaryTimeline
{
    public PrimaryTimeline(History history)
    {
        Promotions = [.. history.Events
            .Where(e => e.Kind == EventKind.Promote && e.EndMicros is not null && e.Ok != false)
            .OrderBy(e => e.EndMicros)
            .ThenBy(e => e.Id)];
    }

    /// <summary>Successful promotions ordered by their end.</summary>
    public ImmutableArray<RecordedEvent> Promotions { get; }

    /// <summary>
    /// The position in <see cref="Promotions"/> of the last promotion that ended at or before
    /// <paramref name="atMicros"/>, or -1 when none had; before any promotion the initial primary is the primary.
    /// </summary>
    public int LastPromotionAt(long atMicros)
    {
        int lo = 0, hi = Promotions.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Promotions[mid].EndMicros <= atMicros)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo - 1;
    }
}
