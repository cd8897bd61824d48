using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>Which node the harness made primary when: the initial primary, then each successful promotion from its end.</summary>
internal sealed class PrimaryTimeline
{
    private readonly string initial;

    public PrimaryTimeline(History history)
    {
        initial = history.InitialPrimary;
        Promotions = [.. history.Events
            .Where(e => e.Kind == EventKind.Promote && e.EndMicros is not null && e.Ok != false)
            .OrderBy(e => e.EndMicros)
            .ThenBy(e => e.Id)];
    }

    /// <summary>Successful promotions ordered by their end.</summary>
    public ImmutableArray<RecordedEvent> Promotions { get; }

    /// <summary>The node the harness considers primary at <paramref name="atMicros"/>.</summary>
    public string PrimaryAt(long atMicros)
    {
        var primary = initial;
        foreach (var promotion in Promotions)
        {
            if (promotion.EndMicros > atMicros)
            {
                break;
            }

            primary = promotion.Target;
        }

        return primary;
    }

    /// <summary>The last successful promotion that ended at or before <paramref name="atMicros"/>, or null.</summary>
    public RecordedEvent? LastPromotionAt(long atMicros)
    {
        RecordedEvent? last = null;
        foreach (var promotion in Promotions)
        {
            if (promotion.EndMicros > atMicros)
            {
                break;
            }

            last = promotion;
        }

        return last;
    }
}
