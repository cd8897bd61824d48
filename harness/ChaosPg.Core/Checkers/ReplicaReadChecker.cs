using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Judges reads of the high-water mark (max seq visible) per read session and measures how stale replica reads were.
/// </summary>
/// <remarks>
/// <para>Monotonic reads: a session is one client reading one node. Its ok reads, in invoke order, must never report a
/// max seq lower than an earlier ok read of the same session. The promise holds for one server lifetime, so a kill,
/// restart, rejoin or promote of that node (target = the node) between two reads starts a new session: across a
/// rewind the node's own history is rewritten, which the durability checker judges. Counts: nonMonotonic,
/// sessionResets.</para>
/// <para>Staleness: for each ok read on a node that was not the primary at the read's invoke, the writes acknowledged
/// ok before that invoke whose seq is above the seq seen were certainly not visible. staleWrites = how many;
/// staleMs = invoke time minus the ack time of the oldest of them (0 when none). Since a seq at or below the one
/// seen may still be invisible under concurrent writers, both are lower bounds: never a false alarm. Figures:
/// staleMs{P50,P95,P99,Max}, staleWrites{P50,P95,P99,Max}. Staleness never makes the verdict invalid; the runner
/// compares it with the scenario's bound.</para>
/// </remarks>
public sealed class ReplicaReadChecker : IChecker
{
    private const int MaxEvidence = 1000;

    public string Name => "replica-reads";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var index = context.Index;
        var resets = ResetTimesByNode(history, index);
        var resetsSeen = new int[resets.Length];
        var acked = new AckedWrites(index);
        var reads = index.OkReads;
        var sessions = new Session[index.SessionNodes.Length];
        var promotions = index.Timeline.Promotions;
        var promotionsSeen = 0;
        var primary = index.InitialPrimary;
        var staleMs = new double[reads.Length];
        var staleWrites = new double[reads.Length];
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        long nonMonotonic = 0, sessionResets = 0;
        var replicaReads = 0;

        // Reads come in invoke order, so the resets and promotions up to a read are found by moving cursors forward.
        foreach (var read in reads)
        {
            var node = index.SessionNodes[read.Session];
            var seen = read.SeenSeq;
            var epoch = 0;
            if (node < resets.Length && resets[node] is { } times)
            {
                while (resetsSeen[node] < times.Length && times[resetsSeen[node]] <= read.InvokeMicros)
                {
                    resetsSeen[node]++;
                }

                epoch = resetsSeen[node];
            }

            ref var session = ref sessions[read.Session];
            if (!session.Started)
            {
                session = new Session(true, epoch, seen, read.Operation);
            }
            else if (session.Epoch != epoch)
            {
                sessionResets++;
                session = new Session(true, epoch, seen, read.Operation);
            }
            else if (seen < session.MaxSeen)
            {
                nonMonotonic++;
                if (evidence.Count < MaxEvidence)
                {
                    evidence.Add(NonMonotonic(history, history.Operations[read.Operation], session.MaxSeen, history.Operations[session.MaxRead]));
                }
            }
            else if (seen > session.MaxSeen)
            {
                session = session with { MaxSeen = seen, MaxRead = read.Operation };
            }

            while (promotionsSeen < promotions.Length && promotions[promotionsSeen].EndMicros <= read.InvokeMicros)
            {
                primary = index.PromotionNodes[promotionsSeen++];
            }

            if (node != primary)
            {
                var (count, oldestAck) = acked.UnseenBefore(read.InvokeMicros, seen);
                staleWrites[replicaReads] = count;
                staleMs[replicaReads] = count == 0 ? 0 : Micros.ToMs(read.InvokeMicros - oldestAck);
                replicaReads++;
            }
        }

        var okReads = reads.Length;
        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        countsOut["reads"] = index.Reads;
        countsOut["okReads"] = okReads;
        countsOut["replicaReads"] = replicaReads;
        countsOut["nonMonotonic"] = nonMonotonic;
        countsOut["sessionResets"] = sessionResets;
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        Percentiles.AddTo(figures, "staleMs", staleMs.AsSpan(0, replicaReads));
        Percentiles.AddTo(figures, "staleWrites", staleWrites.AsSpan(0, replicaReads));
        var verdict = nonMonotonic > 0 ? Verdict.Invalid : Verdict.Valid;
        var stale = figures.TryGetValue("staleMsP99", out var p99)
            ? string.Create(CultureInfo.InvariantCulture, $"; replica staleness p99 {p99:0.###} ms, max {figures["staleMsMax"]:0.###} ms")
            : string.Empty;
        var summary = nonMonotonic > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{nonMonotonic} of {okReads} ok reads went backwards within their session{stale}")
            : string.Create(CultureInfo.InvariantCulture, $"{okReads} ok reads monotonic in {sessions.Length} sessions ({replicaReads} on replicas){stale}");
        return new CheckerResult(Name, verdict, summary, countsOut.ToImmutable(), figures.ToImmutable(), evidence.ToImmutable());
    }

    private static Evidence NonMonotonic(History history, Operation op, long earlierSeq, Operation earlierRead)
    {
        var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        details["seenSeq"] = op.Read!.MaxSeq is { } seq ? Micros.Text(seq) : "none";
        details["earlierSeq"] = Micros.Text(earlierSeq);
        details["earlierOperation"] = Micros.Text(earlierRead.Id);
        details["earlierReadAtMicros"] = Micros.Text(earlierRead.InvokeMicros);
        return Evidence.ForOperation(
            history,
            op,
            op.InvokeMicros,
            "op:" + Micros.Text(op.Id),
            $"{op.Client} read max seq {details["seenSeq"]} on {op.Node} after reading {earlierSeq} there (op {earlierRead.Id})",
            details.ToImmutable());
    }

    // Reset times per node id (null for a node never reset); events are sorted by start, so each list is in order.
    private static long[]?[] ResetTimesByNode(History history, HistoryIndex index)
    {
        var byNode = new List<List<long>?>();
        foreach (var e in history.Events)
        {
            if (e.Kind is EventKind.Kill or EventKind.Restart or EventKind.Rejoin or EventKind.Promote)
            {
                var node = index.NodeId(e.Target);
                while (byNode.Count <= node)
                {
                    byNode.Add(null);
                }

                (byNode[node] ??= []).Add(e.StartMicros);
            }
        }

        return [.. byNode.Select(times => times?.ToArray())];
    }

    // One per session, replaced in place in the session array on the hot path.
    private readonly record struct Session(bool Started, int Epoch, long MaxSeen, int MaxRead);
}
