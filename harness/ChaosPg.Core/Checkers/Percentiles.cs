using System.Numerics;

namespace ChaosPg.Core.Checkers;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentiles
{
    // Below this length a range is sorted rather than partitioned further.
    private const int SortedDirectly = 16;

    /// <summary>
    /// Adds p50, p95, p99 and max of <paramref name="sample"/> (reordered in place; no NaN) as figures named
    /// prefix+suffix. Selects the three ranks, highest first and each within the values below the previous, in linear
    /// time: sorting both stale-read samples of a million-operation history was a quarter of the replica-read checker.
    /// </summary>
    public static void AddTo(IDictionary<string, double> figures, string prefix, Span<double> sample)
    {
        if (sample.Length == 0)
        {
            return;
        }

        var max = sample[0];
        foreach (var value in sample)
        {
            max = Math.Max(max, value);
        }

        var p99 = Rank(sample.Length, 0.99);
        var p95 = Rank(sample.Length, 0.95);
        var p50 = Rank(sample.Length, 0.50);
        Select(sample, p99);
        Select(sample[..p99], p95);
        Select(sample[..p95], p50);
        figures[prefix + "P50"] = sample[p50];
        figures[prefix + "P95"] = sample[p95];
        figures[prefix + "P99"] = sample[p99];
        figures[prefix + "Max"] = max;
    }

    private static int Rank(int length, double p) => Math.Clamp((int)Math.Ceiling(p * length) - 1, 0, length - 1);

    // Moves the k-th smallest value to position k, with no larger value before it and no smaller one after it.
    // Three-way partitions around a median of three (runs of equal values are common here: zero staleness); after
    // 2 log n rounds without reaching a short range, sorts what is left, so the worst case stays O(n log n).
    private static void Select(Span<double> values, int k)
    {
        if (k >= values.Length)
        {
            return;
        }

        var rounds = 2 * (BitOperations.Log2((uint)values.Length) + 1);
        while (values.Length > SortedDirectly && rounds-- > 0)
        {
            var pivot = MedianOfThree(values[0], values[values.Length / 2], values[^1]);
            int below = 0, i = 0, above = values.Length;
            while (i < above)
            {
                if (values[i] < pivot)
                {
                    (values[below], values[i]) = (values[i], values[below]);
                    below++;
                    i++;
                }
                else if (values[i] > pivot)
                {
                    above--;
                    (values[above], values[i]) = (values[i], values[above]);
                }
                else
                {
                    i++;
                }
            }

            if (k < below)
            {
                values = values[..below];
            }
            else if (k >= above)
            {
                values = values[above..];
                k -= above;
            }
            else
            {
                return;
            }
        }

        values.Sort();
    }

    private static double MedianOfThree(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
