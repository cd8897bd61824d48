using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Simulation;

/// <summary>
/// Simulates the history of a correct three-node cluster with synchronous replication: writers on the primary,
/// readers on every node, a WAL-link latency fault, a kill of the primary, promotion of replica1, rejoin of the old
/// primary, heal and convergence. Failed writes never land, indeterminate ones land or not, every acknowledged write
/// survives. Used by <c>chaospg bench checker</c> and by the property tests as the "correct cluster" baseline.
/// </summary>
public sealed class CorrectRunGenerator
{
    /// <summary>The table every simulated write goes to.</summary>
    public const string Table = "chaos_writes";

    private const string OldPrimary = "primary";
    private const string NewPrimary = "replica1";
    private const long MaxDurationMicros = 2_000;
    private static readonly string[] Nodes = [OldPrimary, NewPrimary, "replica2"];

    private readonly long seed;
    private readonly int operations;
    private readonly int writers;
    private readonly int readers;

    public CorrectRunGenerator(long seed, int operations, int writers = 4, int readers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(readers);
        this.seed = seed;
        this.operations = operations;
        this.writers = writers;
        this.readers = readers;
    }

    /// <summary>Pushes every history line to <paramref name="sink"/> (header first) and returns the final node states.</summary>
    public FinalState Generate(Action<HistoryLine> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return new Simulation(this, sink).Run();
    }

    private sealed class Simulation(CorrectRunGenerator spec, Action<HistoryLine> sink)
    {
        // Only the deterministic sequence matters here, not its quality.
#pragma warning disable CA5394
        private readonly Random random = new(unchecked((int)spec.seed ^ (int)(spec.seed >> 32)));
#pragma warning restore CA5394
        private readonly Dictionary<string, PriorityQueue<long, long>> pending = Nodes.ToDictionary(n => n, _ => new PriorityQueue<long, long>(), StringComparer.Ordinal);
        private readonly Dictionary<string, long> visibleMax = Nodes.ToDictionary(n => n, _ => long.MinValue, StringComparer.Ordinal);
        private readonly List<string> present = [];
        private readonly List<(long At, HistoryLine Line)> plannedEvents = [];
        private readonly List<(long Seq, long VisibleAt)> awaitingRejoin = [];
        private long lastOperationId;
        private long lastEventId;
        private long lastSeq;
        private long latencyFrom = long.MaxValue;
        private long latencyTo = long.MaxValue;
        private long killAt = long.MaxValue;
        private long promotedAt = long.MaxValue;
        private long rejoinedAt = long.MaxValue;
        private long end;

        public FinalState Run()
        {
            sink(new RunStarted(0, "simulated-failover", spec.seed, DateTimeOffset.UnixEpoch, OldPrimary));
            var clients = new List<Client>();
            for (var i = 1; i <= spec.writers; i++)
            {
                clients.Add(new Client("w" + Text(i), null));
            }

            for (var i = 1; i <= spec.readers; i++)
            {
                clients.Add(new Client("r" + Text(i), Nodes[i % Nodes.Length]));
            }

            long openEvent = 0;
            for (var n = 0; n < spec.operations; n++)
            {
                var client = clients.MinBy(c => c.FreeAt)!;
                var now = client.FreeAt;
                EmitPlannedEventsUpTo(now);
                if (n == spec.operations / 5)
                {
                    latencyFrom = now;
                    openEvent = StartEvent(now, EventKind.Latency, "replica1->primary", ImmutableDictionary<string, string>.Empty.Add("ms", "5"));
                }
                else if (n == spec.operations * 3 / 10 && openEvent != 0)
                {
                    latencyTo = now;
                    sink(new EventEnded(now, openEvent));
                }
                else if (n == spec.operations / 2)
                {
                    PlanFailover(now);
                }
                else if (n == spec.operations * 3 / 4 && promotedAt != long.MaxValue)
                {
                    PlanRejoin(Math.Max(now, promotedAt));
                }

                var duration = random.NextInt64(200, MaxDurationMicros);
                client.FreeAt = now + duration + random.NextInt64(0, 100);
                end = Math.Max(end, now + duration);
                if (client.ReadNode is null)
                {
                    Write(client, now, duration);
                }
                else
                {
                    Read(client, now, duration);
                }
            }

            if (openEvent != 0 && latencyTo == long.MaxValue)
            {
                latencyTo = end;
                sink(new EventEnded(end, openEvent));
            }

            if (killAt == long.MaxValue)
            {
                PlanFailover(end);
            }

            if (rejoinedAt == long.MaxValue)
            {
                PlanRejoin(Math.Max(end, promotedAt));
            }

            EmitPlannedEventsUpTo(long.MaxValue);
            var healAt = Math.Max(end, rejoinedAt) + 1_000;
            var heal = StartEvent(healAt, EventKind.Heal, "cluster", null);
            sink(new EventEnded(healAt + 100, heal));
            var wait = StartEvent(healAt + 200, EventKind.WaitConverged, "cluster", null);
            sink(new EventEnded(healAt + 5_000, wait));
            StartEvent(healAt + 5_000, EventKind.Converged, "cluster", null);
            return FinalState(healAt + 6_000);
        }

        private void Write(Client client, long now, long duration)
        {
            var seq = ++lastSeq;
            var writeId = string.Create(CultureInfo.InvariantCulture, $"{spec.seed:x}-{client.Name}-{++client.Count}");
            var node = now >= promotedAt ? NewPrimary : OldPrimary;
            var id = ++lastOperationId;
            sink(new OperationInvoked(now, id, client.Name, OperationKind.Write, node, "client->" + node, writeId, seq, Table));
            var done = now + duration;
            if (node == OldPrimary && now >= killAt)
            {
                sink(new OperationCompleted(now + 50, id, OperationOutcome.Fail, new OperationError("08001", "connection-refused")));
                client.FreeAt = now + 1_000; // the client backs off before retrying a refused connection
                return;
            }

            if (node == OldPrimary && done > killAt)
            {
                // In flight when the primary died: the commit may or may not have happened (and been replicated).
                if (random.Next(2) == 0)
                {
                    Commit(writeId, seq, node, random.NextInt64(now, killAt));
                }

                if (random.Next(4) != 0)
                {
                    sink(new OperationCompleted(done, id, OperationOutcome.Indeterminate, new OperationError("08006", "connection-lost")));
                }

                return;
            }

            var roll = random.Next(100);
            if (roll < 2)
            {
                sink(new OperationCompleted(done, id, OperationOutcome.Fail, new OperationError("40001", "serialization")));
                return;
            }

            if (roll < 3)
            {
                if (random.Next(2) == 0)
                {
                    Commit(writeId, seq, node, done - 1);
                }

                sink(new OperationCompleted(done, id, OperationOutcome.Indeterminate, new OperationError("57014", "timeout")));
                return;
            }

            Commit(writeId, seq, node, done - 1);
            ImmutableArray<ServerNotice> notices = roll < 5
                ? [new ServerNotice("WARNING", "01000", "canceling wait for synchronous replication due to user request", "The transaction has already committed locally, but might not have been replicated to the standby.")]
                : default;
            sink(new OperationCompleted(done, id, OperationOutcome.Ok, CommitLsn: new Lsn((ulong)seq * 200), Notices: notices));
        }

        private void Read(Client client, long now, long duration)
        {
            var node = client.ReadNode!;
            var id = ++lastOperationId;
            sink(new OperationInvoked(now, id, client.Name, OperationKind.Read, node, "client->" + node));
            var done = now + duration;
            if (node == OldPrimary && done > killAt && now < rejoinedAt)
            {
                sink(new OperationCompleted(Math.Max(now + 50, Math.Min(done, killAt)), id, OperationOutcome.Fail, new OperationError("08006", "connection-lost")));
                return;
            }

            var queue = pending[node];
            var max = visibleMax[node];
            while (queue.TryPeek(out var seq, out var visibleAt) && visibleAt <= now)
            {
                queue.Dequeue();
                max = Math.Max(max, seq);
            }

            visibleMax[node] = max;
            sink(new OperationCompleted(done, id, OperationOutcome.Ok, Read: new ReadResult(max == long.MinValue ? null : max)));
        }

        private void Commit(string writeId, long seq, string node, long committedAt)
        {
            present.Add(writeId);
            foreach (var other in Nodes)
            {
                var visibleAt = committedAt;
                if (other != node)
                {
                    visibleAt += random.NextInt64(300, 3_000);
                    if (other == NewPrimary && committedAt >= latencyFrom && committedAt < latencyTo)
                    {
                        visibleAt += 5_000;
                    }

                    if (other == OldPrimary && committedAt >= killAt)
                    {
                        // The old primary is down: it replays this only once rejoined, whose time may not be planned yet.
                        if (rejoinedAt == long.MaxValue)
                        {
                            awaitingRejoin.Add((seq, visibleAt));
                            continue;
                        }

                        visibleAt = Math.Max(visibleAt, rejoinedAt);
                    }
                }

                pending[other].Enqueue(seq, visibleAt);
            }
        }

        private void PlanFailover(long now)
        {
            // Later than every completion already generated, so only operations generated from now on can be in flight.
            killAt = now + MaxDurationMicros + 1;
            promotedAt = killAt + 5_000;
            Plan(killAt, EventKind.Kill, OldPrimary, 100);
            Plan(killAt + 3_000, EventKind.Promote, NewPrimary, 2_000);
        }

        private void PlanRejoin(long now)
        {
            var start = now + MaxDurationMicros + 1;
            rejoinedAt = start + 10_000;
            Plan(start, EventKind.Rejoin, OldPrimary, 10_000);
            foreach (var (seq, visibleAt) in awaitingRejoin)
            {
                pending[OldPrimary].Enqueue(seq, Math.Max(visibleAt, rejoinedAt));
            }

            awaitingRejoin.Clear();
        }

        private void Plan(long at, EventKind kind, string target, long length)
        {
            var id = ++lastEventId;
            plannedEvents.Add((at, new EventStarted(at, id, kind, target)));
            plannedEvents.Add((at + length, new EventEnded(at + length, id)));
        }

        private long StartEvent(long at, EventKind kind, string target, ImmutableDictionary<string, string>? parameters)
        {
            var id = ++lastEventId;
            sink(new EventStarted(at, id, kind, target, parameters));
            return id;
        }

        private void EmitPlannedEventsUpTo(long now)
        {
            plannedEvents.Sort(static (a, b) => a.At.CompareTo(b.At));
            var emitted = 0;
            while (emitted < plannedEvents.Count && plannedEvents[emitted].At <= now)
            {
                sink(plannedEvents[emitted].Line);
                end = Math.Max(end, plannedEvents[emitted].At);
                emitted++;
            }

            plannedEvents.RemoveRange(0, emitted);
        }

        private FinalState FinalState(long at)
        {
            var ids = present.ToImmutableArray();
            var lsn = new Lsn((ulong)lastSeq * 200 + 1_000);
            var digest = Digest(ids);
            return new FinalState(
                NewPrimary,
                at,
                [.. Nodes.Select(node => new NodeSnapshot(
                    node,
                    true,
                    node == NewPrimary ? NodeRole.Primary : NodeRole.Replica,
                    2,
                    lsn,
                    lsn,
                    lsn,
                    ids,
                    digest))]);
        }

        // One sorted copy and one reused buffer: encoding each id into a new array was 22 MB of garbage per million
        // operations, and a LINQ ordering twice the sort's memory.
        private static string Digest(ImmutableArray<string> ids)
        {
            var sorted = ids.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64];
            foreach (var id in sorted)
            {
                var length = Encoding.UTF8.GetMaxByteCount(id.Length) + 1;
                if (buffer.Length < length)
                {
                    buffer = new byte[length];
                }

                var written = Encoding.UTF8.GetBytes(id, buffer);
                buffer[written] = (byte)'\n';
                hash.AppendData(buffer, 0, written + 1);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class Client(string name, string? readNode)
    {
        public string Name { get; } = name;

        public string? ReadNode { get; } = readNode;

        public long FreeAt { get; set; }

        public int Count { get; set; }
    }
}
