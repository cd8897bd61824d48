using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Measures write availability. RTO, as the clients saw it: from the first fault on the initial primary (kill, pause,
/// restart, partition or blackhole of the node itself or of a client link into it) to the first ok write invoked after
/// the fault on the primary that followed it (the first node promoted after the fault, else the same node). A failover
/// that no such fault explains (a manager acting on a cut to its DCS, a killed agent, a switchover) opens the window
/// at the first write that failed before the promotion instead. Also the longest span with
/// no acknowledged write, from the first write's invoke to the last write's end. A write still waiting when the
/// workload stopped (<see cref="Operation.HungUntilStop"/>: it came back only because the client cancelled it then,
/// ok with a synchronous-replication warning or not) is no acknowledgement here: it is
/// unavailability that lasted to the end.
/// </summary>
/// <remarks>
/// Invalid when any write hung until the workload stopped (each one is evidence); unknown when the primary had a
/// fault and no write was acknowledged after it (the RTO cannot be measured); valid otherwise. Counts: okWrites,
/// failedWrites, indeterminateWrites, hungUntilStop, hungOkWithSyncWarning. Figures: rtoMs, rtoWindowStartMicros,
/// faultAtMicros (when a fault opened the window), recoveredAtMicros, longestGapMs, longestGapStartMicros, longestGapEndMicros, firstHungInvokeMicros. The evidence
/// item <see cref="RtoWindowEvidence"/> holds the window and the faults before its end; the runner compares the RTO
/// with the scenario's bound (<c>expect.rto</c>).
/// </remarks>
public sealed class AvailabilityChecker : IChecker
{
    /// <summary>The id of the evidence item that holds the RTO window: its start, end and the faults before its end.</summary>
    public const string RtoWindowEvidence = "rto-window";

    private const int MaxHungEvidence = 20;

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
        var hung = new List<int>();
        for (var w = 0; w < index.Writes.Length; w++)
        {
            if (index.Writes[w].HungUntilStop)
            {
                hung.Add(w);
            }
        }

        countsOut["hungUntilStop"] = hung.Count;
        countsOut["hungOkWithSyncWarning"] = hung.Count(w => index.Writes[w].Outcome == OperationOutcome.Ok && history.Writes[w].AcknowledgedWithSyncWarning);
        if (index.Writes.Length == 0)
        {
            return new CheckerResult(Name, Verdict.Valid, "no writes: nothing to measure", countsOut.ToImmutable(), figures.ToImmutable(), []);
        }

        // The acks in order, closed by the end of the last write: the first widest step between them is the gap. An
        // ok that only the cancel at the stop brought back is no ack: the gap it sits in runs to the end.
        var firstInvoke = index.FirstInvokeMicros;
        var lastEnd = index.LastEndMicros;
        var gapStart = firstInvoke;
        var gapEnd = lastEnd;
        var previous = firstInvoke;
        var first = true;
        for (var i = 0; i <= acks; i++)
        {
            if (i < acks && index.Writes[index.ByAck[i]].HungUntilStop)
            {
                continue;
            }

            var ack = i < acks ? index.AckTime(i) : lastEnd;
            if (first || ack - previous > gapEnd - gapStart)
            {
                gapStart = previous;
                gapEnd = ack;
                first = false;
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
        var hungSummary = string.Empty;
        if (hung.Count > 0)
        {
            var firstHung = hung.MinBy(w => index.Writes[w].InvokeMicros);
            figures["firstHungInvokeMicros"] = index.Writes[firstHung].InvokeMicros;
            foreach (var w in hung.OrderBy(w => index.Writes[w].InvokeMicros).Take(MaxHungEvidence))
            {
                evidence.Add(HungEvidence(history, history.Writes[w]));
            }

            var op = history.Writes[firstHung];
            hungSummary = string.Create(
                CultureInfo.InvariantCulture,
                $"{hung.Count} writes never completed before the workload stopped (the first invoked on {op.Node} at {Micros.Seconds(op.InvokeMicros)}; {countsOut["hungOkWithSyncWarning"]} came back ok only when the client cancelled them at the stop, with the synchronous-replication warning); ");
        }

        // The window opens at the first fault on the primary; a failover no such fault explains (the manager acted on
        // a cut to its DCS, a killed agent, a switchover) opens it at the first write that failed before the promotion.
        var fault = FirstPrimaryFault(history);
        var promotion = fault is null ? index.Timeline.Promotions.FirstOrDefault() : index.Timeline.Promotions.FirstOrDefault(p => p.EndMicros >= fault.StartMicros);
        if (fault is null && promotion is null)
        {
            return new CheckerResult(Name, hung.Count > 0 ? Verdict.Invalid : Verdict.Valid, hungSummary + "no fault on the primary and no failover; " + gap, countsOut.ToImmutable(), figures.ToImmutable(), evidence.ToImmutable());
        }

        var (windowStart, opening) = fault is not null
            ? (fault.StartMicros, $"the {Word(fault.Kind)} of {fault.Target} at {Micros.Seconds(fault.StartMicros)}")
            : FirstFailureBefore(index, history, promotion!);
        if (fault is not null)
        {
            figures["faultAtMicros"] = fault.StartMicros;
        }

        figures["rtoWindowStartMicros"] = windowStart;
        var successor = promotion?.Target ?? history.InitialPrimary;
        var successorId = index.NodeId(successor);
        var recoveredAt = -1;
        foreach (var w in index.Acknowledged)
        {
            var write = index.Writes[w];
            if (write.InvokeMicros >= windowStart
                && write.Node == successorId
                && !write.HungUntilStop
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
                hung.Count > 0 ? Verdict.Invalid : Verdict.Unknown,
                hungSummary + $"{opening}: no write acknowledged by {successor} afterwards, RTO not measurable; " + gap,
                countsOut.ToImmutable(),
                figures.ToImmutable(),
                evidence.ToImmutable());
        }

        var rto = recovered.EndMicros - windowStart;
        figures["rtoMs"] = Micros.ToMs(rto);
        figures["recoveredAtMicros"] = recovered.EndMicros;
        evidence.Add(Evidence.ForOperation(
            history,
            recovered,
            recovered.EndMicros,
            recovered.WriteId!,
            $"first write acknowledged by {successor} after {opening}",
            null));
        evidence.Add(WindowEvidence(history, windowStart, recovered.EndMicros, opening, successor, promotion));
        return new CheckerResult(
            Name,
            hung.Count > 0 ? Verdict.Invalid : Verdict.Valid,
            hungSummary + string.Create(CultureInfo.InvariantCulture, $"RTO {Micros.ToMs(rto):0.#} ms ({opening} to the first write on {successor}{(promotion is null ? ", no failover: the same node recovered" : string.Empty)}); {gap}"),
            countsOut.ToImmutable(),
            figures.ToImmutable(),
            evidence.ToImmutable());
    }

    // The first write that did not get acknowledged after the last acknowledgement before the promotion (the clients'
    // first failure); with none, that last acknowledgement itself (the clients saw silence, not errors).
    private static (long Start, string Opening) FirstFailureBefore(HistoryIndex index, History history, RecordedEvent promotion)
    {
        long lastAck = index.FirstInvokeMicros;
        foreach (var w in index.Acknowledged)
        {
            var write = index.Writes[w];
            if (write.EndMicros <= promotion.StartMicros && !write.HungUntilStop)
            {
                lastAck = Math.Max(lastAck, write.EndMicros);
            }
        }

        Operation? first = null;
        for (var w = 0; w < index.Writes.Length; w++)
        {
            var write = index.Writes[w];
            if (write.Outcome != OperationOutcome.Ok && write.InvokeMicros <= promotion.StartMicros && write.EndMicros > lastAck
                && (first is null || write.InvokeMicros < first.InvokeMicros))
            {
                first = history.Writes[w];
            }
        }

        return first is null
            ? (lastAck, $"the last write acknowledged before {promotion.Target} was promoted ({Micros.Seconds(lastAck)}; no write failed)")
            : (first.InvokeMicros, $"the first write that failed before {promotion.Target} was promoted (invoked on {first.Node} at {Micros.Seconds(first.InvokeMicros)})");
    }

    private static Evidence WindowEvidence(History history, long start, long end, string opening, string successor, RecordedEvent? promotion)
    {
        var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        details["startMicros"] = start.ToString(CultureInfo.InvariantCulture);
        details["endMicros"] = end.ToString(CultureInfo.InvariantCulture);
        details["opening"] = opening;
        details["recoveredOn"] = successor;
        details["failover"] = promotion is null ? "none: the same node recovered" : $"{successor} promoted at {Micros.Seconds(promotion.StartMicros)}";
        var faults = history.Events
            .Where(e => e.StartMicros <= end && IsFault(e.Kind))
            .Select(e => $"{Word(e.Kind)} {e.Target} at {Micros.Seconds(e.StartMicros)}")
            .ToList();
        details["faultsBefore"] = faults.Count == 0 ? "none" : string.Join("; ", faults);
        return Evidence.ForNode(
            history,
            RtoWindowEvidence,
            successor,
            start,
            string.Create(CultureInfo.InvariantCulture, $"RTO window {Micros.Seconds(start)} to {Micros.Seconds(end)}: from {opening} to the first write acknowledged by {successor}"),
            details.ToImmutable());
    }

    private static string Word(EventKind kind) => kind.ToString().ToLowerInvariant();

    private static bool IsFault(EventKind kind) =>
        kind is EventKind.Partition or EventKind.Blackhole or EventKind.Isolate or EventKind.Latency or EventKind.Bandwidth or EventKind.Reset or EventKind.Loss
            or EventKind.Kill or EventKind.Pause or EventKind.Restart or EventKind.TerminateBackends;

    private static Evidence HungEvidence(History history, Operation op)
    {
        var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        details["outcome"] = op.Outcome.ToString().ToLowerInvariant();
        details["cancelledAtStop"] = op.CancelledAtStop ? "true" : "false";
        details["waitedMs"] = Micros.ToMs(op.EndMicros - op.InvokeMicros).ToString("0.#", CultureInfo.InvariantCulture);
        if (op.AcknowledgedWithSyncWarning)
        {
            details["syncReplicationWarning"] = "true";
        }

        var what = op.Outcome == OperationOutcome.Ok
                ? $"invoked on {op.Node} at {Micros.Seconds(op.InvokeMicros)}, came back ok only when the client cancelled it at the stop ({Micros.Seconds(op.EndMicros)})"
                : $"invoked on {op.Node} at {Micros.Seconds(op.InvokeMicros)}, still waiting when the client cancelled it at the stop ({Micros.Seconds(op.EndMicros)})";
        return Evidence.ForOperation(history, op, op.InvokeMicros, op.WriteId!, what, details.ToImmutable());
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
