namespace ChaosPg.Core.Checkers;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentiles
{
    /// <summary>Adds p50, p95, p99 and max of <paramref name="sample"/> (sorted in place) as figures named prefix+suffix.</summary>
    public static void AddTo(IDictionary<string, double> figures, string prefix, double[] sample)
    {
        if (sample.Length == 0)
        {
            return;
        }

        Array.Sort(sample);
        figures[prefix + "P50"] = Rank(sample, 0.50);
        figures[prefix + "P95"] = Rank(sample, 0.95);
        figures[prefix + "P99"] = Rank(sample, 0.99);
        figures[prefix + "Max"] = sample[^1];
    }

    private static double Rank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
