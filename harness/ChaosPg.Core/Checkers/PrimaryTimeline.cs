using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Which node was made primary when: the initial primary, then each successful promotion from its end. A promotion an
/// HA manager made (an observed <c>promote</c> event, with <c>by</c>) is recorded when the harness's observer saw it,
/// after it happened; a node acknowledges writes only as a primary, so the first write the promoted node acknowledged
/// after the previous promotion moves the promotion's end back to that acknowledgement (never forward).
/// </summary>
internal sealed class PrimaryTimeline
{
    public PrimaryTimeline(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var recorded = history.Events
            .Where(e => e.Kind == EventKind.Promote && e.EndMicros is not null && e.Ok != false)
            .OrderBy(e => e.EndMicros)
            .ThenBy(e => e.Id)
            .ToList();
        var promotions = ImmutableArray.CreateBuilder<RecordedEvent>(recorded.Count);
        long previousEnd = 0;
        string previous = history.InitialPrimary;
        foreach (var promotion in recorded)
        {
            var effective = promotion;
            if (promotion.Parameters.ContainsKey(ObservedBy) && promotion.Target != previous
                && FirstAcknowledgedBy(history, promotion.Target, previousEnd, promotion.EndMicros!.Value) is { } firstAck)
            {
                effective = promotion with { StartMicros = Math.Min(promotion.StartMicros, firstAck), EndMicros = firstAck };
            }

            promotions.Add(effective);
            previousEnd = Math.Max(previousEnd, effective.EndMicros!.Value);
            previous = promotion.Target;
        }

        Promotions = [.. promotions.OrderBy(e => e.EndMicros).ThenBy(e => e.Id)];
    }

    /// <summary>The parameter that marks a promotion an HA manager made and the harness observed.</summary>
    public const string ObservedBy = "by";

    private static long? FirstAcknowledgedBy(History history, string node, long afterMicros, long beforeMicros)
    {
        long? first = null;
        foreach (var write in history.Writes)
        {
            if (write.Node == node && write.Outcome == OperationOutcome.Ok && write.EndMicros > afterMicros && write.EndMicros < beforeMicros
                && (first is null || write.EndMicros < first))
            {
                first = write.EndMicros;
            }
        }

        return first;
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
