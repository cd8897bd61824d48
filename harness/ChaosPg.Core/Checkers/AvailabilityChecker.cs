using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Measures write availability. RTO: from the first fault on the initial primary (kill, pause, restart, partition or
/// blackhole of the node itself or of a client link into it) to the first ok write invoked after the fault on the
/// primary that followed it (the first node promoted after the fault, else the same node). Also the longest span with
/// no acknowledged write, from the first write's invoke to the last write's end.
/// </summary>
/// <remarks>
/// Valid when measured; unknown when the primary had a fault and no write was acknowledged after it (the RTO cannot be
/// measured). Counts: okWrites, failedWrites, indeterminateWrites. Figures: rtoMs, faultAtMicros, recoveredAtMicros,
/// longestGapMs, longestGapStartMicros, longestGapEndMicros. The runner compares them with the scenario's bounds.
/// </remarks>
public sealed class AvailabilityChecker : IChecker
{
    public string Name => "availability";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        var index = context.Index;
        var acks = index.ByAck.Length;
        countsOut["okWrites"] = index.Acknowledged.Length;
        countsOut["failedWrites"] = index.Failed.Length;
        countsOut["indeterminateWrites"] = index.Writes.Length - index.Acknowledged.Length - index.Failed.Length;
        if (index.Writes.Length == 0)
        {
            return new CheckerResult(Name, Verdict.Valid, "no writes: nothing to measure", countsOut.ToImmutable(), figures.ToImmutable(), []);
        }

        // The acks in order, closed by the end of the last write: the first widest step between them is the gap.
        var firstInvoke = index.FirstInvokeMicros;
        var lastEnd = index.LastEndMicros;
        var gapStart = firstInvoke;
        var gapEnd = acks > 0 ? index.AckTime(0) : lastEnd;
        var previous = firstInvoke;
        for (var i = 0; i <= acks; i++)
        {
            var ack = i < acks ? index.AckTime(i) : lastEnd;
            if (ack - previous > gapEnd - gapStart)
            {
                gapStart = previous;
                gapEnd = ack;
            }

            previous = Math.Max(previous, ack);
        }

        figures["longestGapMs"] = Micros.ToMs(gapEnd - gapStart);
        figures["longestGapStartMicros"] = gapStart;
        figures["longestGapEndMicros"] = gapEnd;
        evidence.Add(Evidence.ForNode(
            history,
            "longest-gap",
            history.InitialPrimary,
            gapStart,
            string.Create(CultureInfo.InvariantCulture, $"no write acknowledged from {Micros.Seconds(gapStart)} to {Micros.Seconds(gapEnd)}"),
            null));

        var gap = string.Create(CultureInfo.InvariantCulture, $"longest span without an acknowledged write {Micros.ToMs(gapEnd - gapStart):0.#} ms");
        var fault = FirstPrimaryFault(history);
        if (fault is null)
        {
            return new CheckerResult(Name, Verdict.Valid, "no fault on the primary; " + gap, countsOut.ToImmutable(), figures.ToImmutable(), evidence.ToImmutable());
        }

        figures["faultAtMicros"] = fault.StartMicros;
        var successor = index.Timeline.Promotions.FirstOrDefault(p => p.EndMicros >= fault.StartMicros)?.Target ?? history.InitialPrimary;
        var successorId = index.NodeId(successor);
        var recoveredAt = -1;
        foreach (var w in index.Acknowledged)
        {
            var write = index.Writes[w];
            if (write.InvokeMicros >= fault.StartMicros
                && write.Node == successorId
                && (recoveredAt < 0 || write.EndMicros < index.Writes[recoveredAt].EndMicros))
            {
                recoveredAt = w;
            }
        }

        var recovered = recoveredAt < 0 ? null : history.Writes[recoveredAt];
        if (recovered is null)
        {
            return new CheckerResult(
                Name,
                Verdict.Unknown,
                $"{fault.Kind.ToString().ToLowerInvariant()} of {fault.Target} at {Micros.Seconds(fault.StartMicros)}: no write acknowledged by {successor} afterwards, RTO not measurable; " + gap,
                countsOut.ToImmutable(),
                figures.ToImmutable(),
                evidence.ToImmutable());
        }

        var rto = recovered.EndMicros - fault.StartMicros;
        figures["rtoMs"] = Micros.ToMs(rto);
        figures["recoveredAtMicros"] = recovered.EndMicros;
        evidence.Add(Evidence.ForOperation(
            history,
            recovered,
            recovered.EndMicros,
            recovered.WriteId!,
            $"first write acknowledged by {successor} after the {fault.Kind.ToString().ToLowerInvariant()} of {fault.Target} at {Micros.Seconds(fault.StartMicros)}",
            null));
        return new CheckerResult(
            Name,
            Verdict.Valid,
            string.Create(CultureInfo.InvariantCulture, $"RTO {Micros.ToMs(rto):0.#} ms ({fault.Kind.ToString().ToLowerInvariant()} of {fault.Target} to first write on {successor}); {gap}"),
            countsOut.ToImmutable(),
            figures.ToImmutable(),
            evidence.ToImmutable());
    }

    private static RecordedEvent? FirstPrimaryFault(History history)
    {
        var primary = history.InitialPrimary;
        foreach (var e in history.Events)
        {
            if (e.Kind is EventKind.Kill or EventKind.Pause or EventKind.Restart or EventKind.Partition or EventKind.Blackhole or EventKind.Isolate
                && (string.Equals(e.Target, primary, StringComparison.Ordinal)
                    || (e.Touches(primary) && e.Target.StartsWith("client", StringComparison.Ordinal))))
            {
                return e;
            }
        }

        return null;
    }
}
