using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Reports;

/// <summary>Throughput and latency of a history, bucketed on its time axis for the report's charts.</summary>
internal sealed class RunMetrics
{
    private static readonly OperationOutcome[] Outcomes = [OperationOutcome.Ok, OperationOutcome.Fail, OperationOutcome.Indeterminate];

    private RunMetrics(double bucketSeconds, int buckets)
    {
        BucketSeconds = bucketSeconds;
        Buckets = buckets;
    }

    /// <summary>The width of one bucket; rates are still per second.</summary>
    public double BucketSeconds { get; }

    public int Buckets { get; }

    /// <summary>Completions per second of each (kind, outcome), one value per bucket.</summary>
    public Dictionary<(OperationKind Kind, OperationOutcome Outcome), double[]> Rates { get; } = [];

    /// <summary>p50 and p99 latency (ms) of ok operations per kind, one value per bucket (NaN when none completed).</summary>
    public Dictionary<OperationKind, (double[] P50, double[] P99)> LatencyOverTime { get; } = [];

    public ImmutableArray<LatencyRow> Latency { get; private set; } = [];

    /// <summary>The kinds to chart: transactions for a list-append run, writes and reads otherwise.</summary>
    public ImmutableArray<OperationKind> ChartedKinds =>
        Rates.Any(r => r.Key.Kind == OperationKind.Txn && r.Value.Any(v => v > 0)) ? [OperationKind.Txn] : [OperationKind.Write, OperationKind.Read];

    public static RunMetrics From(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var endSeconds = Math.Max(history.EndMicros, 1) / 1_000_000.0;

        // Per-second rates over long runs; finer buckets for short (simulated) runs so the chart still has a shape.
        var bucket = endSeconds >= 10 ? Math.Max(1, SvgChart.NiceStep(endSeconds / 300)) : SvgChart.NiceStep(endSeconds / 100);
        var buckets = Math.Max(1, (int)Math.Ceiling(endSeconds / bucket) + 1);
        var metrics = new RunMetrics(bucket, buckets);
        var latencies = new Dictionary<(OperationKind, OperationOutcome), List<double>>();
        var okByBucket = new Dictionary<OperationKind, List<double>[]>();
        foreach (var kind in new[] { OperationKind.Write, OperationKind.Read, OperationKind.Txn })
        {
            okByBucket[kind] = [.. Enumerable.Range(0, buckets).Select(_ => new List<double>())];
            foreach (var outcome in Outcomes)
            {
                metrics.Rates[(kind, outcome)] = new double[buckets];
                latencies[(kind, outcome)] = [];
            }
        }

        foreach (var op in history.Operations)
        {
            var index = Math.Clamp((int)(op.EndMicros / 1_000_000.0 / bucket), 0, buckets - 1);
            metrics.Rates[(op.Kind, op.Outcome)][index] += 1 / bucket;
            if (!op.Completed)
            {
                continue;
            }

            var ms = (op.EndMicros - op.InvokeMicros) / 1000.0;
            latencies[(op.Kind, op.Outcome)].Add(ms);
            if (op.Outcome == OperationOutcome.Ok)
            {
                okByBucket[op.Kind][index].Add(ms);
            }
        }

        foreach (var (kind, perBucket) in okByBucket)
        {
            var p50 = new double[buckets];
            var p99 = new double[buckets];
            for (var i = 0; i < buckets; i++)
            {
                var sample = perBucket[i];
                sample.Sort();
                p50[i] = Rank(sample, 0.50);
                p99[i] = Rank(sample, 0.99);
            }

            metrics.LatencyOverTime[kind] = (p50, p99);
        }

        metrics.Latency =
        [
            .. latencies
                .Where(l => l.Value.Count > 0)
                .OrderBy(l => l.Key.Item1)
                .ThenBy(l => l.Key.Item2)
                .Select(l =>
                {
                    l.Value.Sort();
                    return new LatencyRow(Html.Word(l.Key.Item1), Html.Word(l.Key.Item2), l.Value.Count, Rank(l.Value, 0.50), Rank(l.Value, 0.95), Rank(l.Value, 0.99), l.Value[^1]);
                }),
        ];
        return metrics;
    }

    /// <summary>The bucket values as chart points at each bucket's middle.</summary>
    public ImmutableArray<(double X, double Y)> Points(double[] values) =>
        [.. values.Select((v, i) => ((i + 0.5) * BucketSeconds, v))];

    // Nearest rank, as the checkers compute their percentiles.
    private static double Rank(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
