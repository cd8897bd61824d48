using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Simulation;

/// <summary>
/// Simulates a strict serializable list-append history: every transaction takes effect at one instant between its
/// invoke and its completion, in that order, on one copy of the data. Clients run one transaction at a time; about 2 %
/// fail (nothing applied, no reads recorded) and 1 % are indeterminate (applied or not, no reads recorded). Each key
/// takes a bounded number of appends and is then retired for a fresh one, as the workload does, so lists stay short.
/// Used by <c>chaospg bench checker --workload list-append</c> and by the property tests as the "no anomaly" baseline.
/// </summary>
public sealed class ListAppendRunGenerator
{
    private const int Clients = 16;
    private const int ActiveKeys = 8;
    private const int AppendsPerKey = 24;
    private const long StepMicros = 10;

    private readonly long seed;
    private readonly int transactions;
    private readonly int maxMicroOps;

    public ListAppendRunGenerator(long seed, int transactions, int maxMicroOps = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(transactions);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMicroOps, 1);
        this.seed = seed;
        this.transactions = transactions;
        this.maxMicroOps = maxMicroOps;
    }

    /// <summary>The first key the generator never uses: tests inject anomalies on keys from here on.</summary>
    public static long FreshKeys => 1L << 40;

    /// <summary>Pushes every history line to <paramref name="sink"/>, header first (model strict-serializable).</summary>
    public void Generate(Action<HistoryLine> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        // Only the deterministic sequence matters here, not its quality.
#pragma warning disable CA5394
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        sink(new RunStarted(0, "list-append-simulation", seed, DateTimeOffset.UnixEpoch, "primary", "strict-serializable"));
        var keys = new long[ActiveKeys];
        var lists = new List<long>[ActiveKeys];
        for (var k = 0; k < ActiveKeys; k++)
        {
            keys[k] = k;
            lists[k] = [];
        }

        var nextKey = (long)ActiveKeys;
        var nextValue = 1L;
        var clientNames = Enumerable.Range(1, Clients).Select(c => "t" + c).ToArray();
        var planned = new MicroOp[maxMicroOps];
        var slots = new int[maxMicroOps];
        for (var i = 0; i < transactions; i++)
        {
            var commitAt = 1_000 + (i * StepMicros);
            var invokeAt = commitAt - random.Next(0, 50);
            var completeAt = commitAt + random.Next(1, 50);
            var roll = random.Next(100);
            var outcome = roll < 2 ? OperationOutcome.Fail : roll < 3 ? OperationOutcome.Indeterminate : OperationOutcome.Ok;
            var applied = outcome == OperationOutcome.Ok || (outcome == OperationOutcome.Indeterminate && random.Next(2) == 0);
            var count = random.Next(1, maxMicroOps + 1);
            for (var m = 0; m < count; m++)
            {
                var slot = random.Next(ActiveKeys);
                slots[m] = slot;
                planned[m] = random.Next(2) == 0 ? MicroOp.Append(keys[slot], nextValue++) : MicroOp.Read(keys[slot]);
            }

            var id = i + 1L;
            var node = i % 5 == 0 ? "replica1" : "primary";
            var client = clientNames[i % Clients];
            sink(new OperationInvoked(invokeAt, id, client, OperationKind.Txn, node, "client->" + node, Txn: [.. planned.AsSpan(0, count)]));
            var done = ImmutableArray.CreateBuilder<MicroOp>(count);
            for (var m = 0; m < count; m++)
            {
                var list = lists[slots[m]];
                if (planned[m].Kind == MicroOpKind.Append)
                {
                    if (applied)
                    {
                        list.Add(planned[m].Value);
                    }

                    done.Add(planned[m]);
                }
                else
                {
                    done.Add(MicroOp.Read(planned[m].Key, [.. list]));
                }
            }

            sink(outcome == OperationOutcome.Ok
                ? new OperationCompleted(completeAt, id, outcome, Txn: done.MoveToImmutable())
                : new OperationCompleted(completeAt, id, outcome, new OperationError(outcome == OperationOutcome.Fail ? "40001" : "08006", outcome == OperationOutcome.Fail ? "serialization-failure" : "connection-lost")));

            // A full key is replaced by a fresh one, so no list grows without bound.
            for (var k = 0; k < ActiveKeys; k++)
            {
                if (lists[k].Count >= AppendsPerKey)
                {
                    keys[k] = nextKey++;
                    lists[k] = [];
                }
            }
        }
#pragma warning restore CA5394
    }
}
