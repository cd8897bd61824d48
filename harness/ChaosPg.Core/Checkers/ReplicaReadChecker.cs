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
        var timeline = new PrimaryTimeline(history);
        var resets = ResetTimesByNode(history);
        var acked = new AckedWrites(history.Writes);
        var sessions = new Dictionary<(string Client, string Node), Session>();
        var staleMs = new List<double>();
        var staleWrites = new List<double>();
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        long reads = 0, okReads = 0, replicaReads = 0, nonMonotonic = 0, sessionResets = 0;

        foreach (var op in history.Operations)
        {
            if (op.Kind != OperationKind.Read)
            {
                continue;
            }

            reads++;
            if (op.Outcome != OperationOutcome.Ok || op.Read is null)
            {
                continue;
            }

            okReads++;
            var seen = op.Read.MaxSeq ?? long.MinValue;
            var epoch = resets.TryGetValue(op.Node, out var times) ? CountAtOrBefore(times, op.InvokeMicros) : 0;
            var key = (op.Client, op.Node);
            if (!sessions.TryGetValue(key, out var session))
            {
                sessions[key] = new Session { Epoch = epoch, MaxSeen = seen, MaxRead = op };
            }
            else if (session.Epoch != epoch)
            {
                sessionResets++;
                (session.Epoch, session.MaxSeen, session.MaxRead) = (epoch, seen, op);
            }
            else if (seen < session.MaxSeen)
            {
                nonMonotonic++;
                if (evidence.Count < MaxEvidence)
                {
                    evidence.Add(NonMonotonic(history, op, session));
                }
            }
            else if (seen > session.MaxSeen)
            {
                (session.MaxSeen, session.MaxRead) = (seen, op);
            }

            if (!string.Equals(timeline.PrimaryAt(op.InvokeMicros), op.Node, StringComparison.Ordinal))
            {
                replicaReads++;
                var (count, oldestAck) = acked.UnseenBefore(op.InvokeMicros, seen);
                staleWrites.Add(count);
                staleMs.Add(count == 0 ? 0 : Micros.ToMs(op.InvokeMicros - oldestAck));
            }
        }

        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        countsOut["reads"] = reads;
        countsOut["okReads"] = okReads;
        countsOut["replicaReads"] = replicaReads;
        countsOut["nonMonotonic"] = nonMonotonic;
        countsOut["sessionResets"] = sessionResets;
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        Percentiles.AddTo(figures, "staleMs", [.. staleMs]);
        Percentiles.AddTo(figures, "staleWrites", [.. staleWrites]);
        var verdict = nonMonotonic > 0 ? Verdict.Invalid : Verdict.Valid;
        var stale = figures.TryGetValue("staleMsP99", out var p99)
            ? string.Create(CultureInfo.InvariantCulture, $"; replica staleness p99 {p99:0.###} ms, max {figures["staleMsMax"]:0.###} ms")
            : string.Empty;
        var summary = nonMonotonic > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{nonMonotonic} of {okReads} ok reads went backwards within their session{stale}")
            : string.Create(CultureInfo.InvariantCulture, $"{okReads} ok reads monotonic in {sessions.Count} sessions ({replicaReads} on replicas){stale}");
        return new CheckerResult(Name, verdict, summary, countsOut.ToImmutable(), figures.ToImmutable(), evidence.ToImmutable());
    }

    private static Evidence NonMonotonic(History history, Operation op, Session session)
    {
        var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        details["seenSeq"] = op.Read!.MaxSeq is { } seq ? Micros.Text(seq) : "none";
        details["earlierSeq"] = Micros.Text(session.MaxSeen);
        details["earlierOperation"] = Micros.Text(session.MaxRead.Id);
        details["earlierReadAtMicros"] = Micros.Text(session.MaxRead.InvokeMicros);
        return Evidence.ForOperation(
            history,
            op,
            op.InvokeMicros,
            "op:" + Micros.Text(op.Id),
            $"{op.Client} read max seq {details["seenSeq"]} on {op.Node} after reading {session.MaxSeen} there (op {session.MaxRead.Id})",
            details.ToImmutable());
    }

    private static Dictionary<string, long[]> ResetTimesByNode(History history)
    {
        var byNode = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var e in history.Events)
        {
            if (e.Kind is EventKind.Kill or EventKind.Restart or EventKind.Rejoin or EventKind.Promote)
            {
                if (!byNode.TryGetValue(e.Target, out var list))
                {
                    byNode[e.Target] = list = [];
                }

                list.Add(e.StartMicros);
            }
        }

        // Events are sorted by start, so each list is already in order.
        return byNode.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static int CountAtOrBefore(long[] sorted, long at)
    {
        var index = Array.BinarySearch(sorted, at);
        if (index < 0)
        {
            return ~index;
        }

        while (index + 1 < sorted.Length && sorted[index + 1] == at)
        {
            index++;
        }

        return index + 1;
    }

    // Mutable on purpose: one per session, updated in place on the hot path.
    private sealed class Session
    {
        public int Epoch { get; set; }

        public long MaxSeen { get; set; }

        public required Operation MaxRead { get; set; }
    }
}
