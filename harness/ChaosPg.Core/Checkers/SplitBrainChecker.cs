using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Two writable primaries: a write invoked after another node's promotion ended, and acknowledged ok by a node that
/// was not the last one promoted. That node accepted commits while the promoted one did too. Before any promotion,
/// the initial primary counts as promoted at time 0, so a write accepted by a replica is caught too.
/// </summary>
/// <remarks>
/// A write invoked before the promotion ended and acknowledged after it is ambiguous (it may have committed before the
/// promotion) and is only counted (ackedAcrossPromotion); if it was lost, durability names it. One overlap item per
/// node and promotion gives the window: from the promotion's end to the last such ack, and when the node was next
/// fenced (kill, pause, rejoin, fence, partition touching it), if it was. Counts: splitBrainWrites, overlaps,
/// ackedAcrossPromotion. Figures: overlapMs (the longest overlap).
/// </remarks>
public sealed class SplitBrainChecker : IChecker
{
    private const int MaxEvidence = 1000;

    public string Name => "split-brain";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var index = context.Index;
        var timeline = index.Timeline;
        var promotions = timeline.Promotions;

        // Before any promotion the initial primary is the only writable node, as if promoted at time 0.
        var initial = new RecordedEvent(0, EventKind.Promote, history.InitialPrimary, ImmutableDictionary<string, string>.Empty, 0, 0, true, null);
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        var overlaps = new Dictionary<(string Node, long PromotionId), (RecordedEvent Promotion, Operation First, Operation Last, long Writes)>();
        long splitBrainWrites = 0, acrossPromotion = 0;
        foreach (var w in index.Acknowledged)
        {
            var write = index.Writes[w];
            var last = timeline.LastPromotionAt(write.EndMicros);
            var promotedNode = last < 0 ? index.InitialPrimary : index.PromotionNodes[last];
            if (promotedNode == write.Node)
            {
                continue;
            }

            if (write.InvokeMicros < (last < 0 ? 0 : promotions[last].EndMicros))
            {
                acrossPromotion++;
                continue;
            }

            var op = history.Writes[w];
            var promotion = last < 0 ? initial : promotions[last];
            splitBrainWrites++;
            var key = (op.Node, promotion.Id);
            overlaps[key] = overlaps.TryGetValue(key, out var overlap)
                ? (promotion, overlap.First, op.EndMicros > overlap.Last.EndMicros ? op : overlap.Last, overlap.Writes + 1)
                : (promotion, op, op, 1);
            if (evidence.Count < MaxEvidence)
            {
                evidence.Add(Evidence.ForOperation(
                    history,
                    op,
                    op.EndMicros,
                    op.WriteId!,
                    $"acknowledged by {op.Node} at {Micros.Seconds(op.EndMicros)} after {promotion.Target} was promoted at {Micros.Seconds(promotion.EndMicros!.Value)}",
                    ImmutableSortedDictionary<string, string>.Empty
                        .Add("promoted", promotion.Target)
                        .Add("promotedAtMicros", Micros.Text(promotion.EndMicros.Value))));
            }
        }

        double longest = 0;
        foreach (var ((node, _), (promotion, first, last, writes)) in overlaps.OrderBy(p => p.Value.Promotion.EndMicros).ThenBy(p => p.Key.Node, StringComparer.Ordinal))
        {
            var start = promotion.EndMicros!.Value;
            var fence = FirstFenceAfter(history, node, start);
            var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            details["promoted"] = promotion.Target;
            details["overlapStartMicros"] = Micros.Text(start);
            details["overlapEndMicros"] = Micros.Text(last.EndMicros);
            details["writes"] = Micros.Text(writes);
            details["firstWriteId"] = first.WriteId!;
            details["lastWriteId"] = last.WriteId!;
            if (fence is not null)
            {
                details["fencedBy"] = fence.Kind.ToString().ToLowerInvariant();
                details["fencedAtMicros"] = Micros.Text(fence.StartMicros);
            }

            longest = Math.Max(longest, Micros.ToMs(last.EndMicros - start));
            evidence.Insert(0, Evidence.ForNode(
                history,
                "overlap:" + node,
                node,
                start,
                string.Create(CultureInfo.InvariantCulture, $"{node} and {promotion.Target} both accepted writes from {Micros.Seconds(start)} to {Micros.Seconds(last.EndMicros)} ({writes} writes on {node})"),
                details.ToImmutable()));
        }

        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        countsOut["splitBrainWrites"] = splitBrainWrites;
        countsOut["overlaps"] = overlaps.Count;
        countsOut["ackedAcrossPromotion"] = acrossPromotion;
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        if (overlaps.Count > 0)
        {
            figures["overlapMs"] = longest;
        }

        var summary = splitBrainWrites > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{splitBrainWrites} writes acknowledged by a node after another was promoted ({overlaps.Count} overlaps, longest {longest:0.#} ms)")
            : string.Create(CultureInfo.InvariantCulture, $"one writable primary at a time across {timeline.Promotions.Length} promotions");
        return new CheckerResult(Name, splitBrainWrites > 0 ? Verdict.Invalid : Verdict.Valid, summary, countsOut.ToImmutable(), figures.ToImmutable(), evidence.ToImmutable());
    }

    private static RecordedEvent? FirstFenceAfter(History history, string node, long afterMicros)
    {
        foreach (var e in history.Events)
        {
            if (e.StartMicros >= afterMicros
                && e.Kind is EventKind.Kill or EventKind.Pause or EventKind.Rejoin or EventKind.Fence or EventKind.Partition or EventKind.Isolate
                && e.Touches(node))
            {
                return e;
            }
        }

        return null;
    }
}
