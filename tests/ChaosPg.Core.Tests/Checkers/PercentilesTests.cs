using ChaosPg.Core.Checkers;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class PercentilesTests
{
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Selected_ranks_equal_the_nearest_ranks_of_the_sorted_sample(int seed)
    {
        // Up to 20,000 values, from one value repeated (long runs, as zero staleness makes) to all distinct. FsCheck keeps
        // generated sizes small, so the seed drives the shape.
#pragma warning disable CA5394 // Deterministic test data, not security.
        var random = new Random(seed);
        var spread = 1 + random.Next(random.Next(2) == 0 ? 5 : 20_000);
        var sample = Enumerable.Range(0, random.Next(20_000)).Select(_ => (double)random.Next(spread)).ToArray();
#pragma warning restore CA5394
        var sorted = sample.Order().ToArray();
        var figures = new Dictionary<string, double>();

        Percentiles.AddTo(figures, "x", sample);

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        var expected = sorted.Length == 0
            ? []
            : new Dictionary<string, double> { ["xP50"] = Rank(0.50), ["xP95"] = Rank(0.95), ["xP99"] = Rank(0.99), ["xMax"] = sorted[^1] };
        return (figures.Count == expected.Count && expected.All(p => figures[p.Key] == p.Value))
            .Label($"expected {string.Join(",", expected)} got {string.Join(",", figures)}");
    }
}
