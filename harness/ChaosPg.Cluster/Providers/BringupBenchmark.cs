using System.Collections.Immutable;
using System.Diagnostics;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Measures bring-up through the provider, as a run brings its cluster up: the default provider against bare initdb
/// (the cost the template cache exists to avoid), any other against the default one.
/// </summary>
public static class BringupBenchmark
{
    /// <summary>Median bring-up of <paramref name="request"/> against median bare initdb, interleaved; the first bring-up (which may build the template) is not measured.</summary>
    public static async Task<BringupFigures> MeasureAsync(IClusterProvider provider, ClusterRequest request, int runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        await TimeBringupAsync(provider, request, cancellationToken).ConfigureAwait(false);

        var binaries = await PgBinariesLocator.LocateAsync(request.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        var user = ServerUser.Resolve();
        var bringup = ImmutableArray.CreateBuilder<double>();
        var initdb = ImmutableArray.CreateBuilder<double>();
        string version = binaries.Version;
        // Interleaved, so that a change in machine load (the disk and CPUs are shared) weighs on both alike.
        for (var i = 0; i < runs; i++)
        {
            var (ms, serverVersion) = await TimeBringupAsync(provider, request, cancellationToken).ConfigureAwait(false);
            bringup.Add(ms);
            version = serverVersion;
            initdb.Add(await TimeInitDbAsync(binaries, user, request.WorkRoot, cancellationToken).ConfigureAwait(false));
        }

        var bringupMedian = Median(bringup);
        var initdbMedian = Median(initdb);
        return new BringupFigures(
            Name(request),
            version,
            runs,
            Math.Round(bringupMedian, 1),
            Math.Round(initdbMedian, 1),
            Math.Round(bringupMedian / initdbMedian, 3),
            [.. bringup.Select(x => Math.Round(x, 1))],
            [.. initdb.Select(x => Math.Round(x, 1))]);
    }

    /// <summary>
    /// Median bring-up of <paramref name="request"/> against <paramref name="baseline"/> (the same spec), interleaved
    /// in one run. The first of each is a warm-up and not measured.
    /// </summary>
    public static async Task<ProviderBringupFigures> MeasureAgainstAsync(IClusterProvider provider, ClusterRequest request, ClusterRequest baseline, int runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var measured = ImmutableArray.CreateBuilder<double>();
        var compared = ImmutableArray.CreateBuilder<double>();
        string version = "unknown", baselineVersion = "unknown";
        for (var i = 0; i <= runs; i++)
        {
            var (baselineMs, b) = await TimeBringupAsync(provider, baseline, cancellationToken).ConfigureAwait(false);
            var (ms, v) = await TimeBringupAsync(provider, request, cancellationToken).ConfigureAwait(false);
            (version, baselineVersion) = (v, b);
            if (i > 0)
            {
                measured.Add(ms);
                compared.Add(baselineMs);
            }
        }

        var median = Median(measured);
        var baselineMedian = Median(compared);
        return new ProviderBringupFigures(
            Name(request),
            Name(baseline),
            provider.Plan(request).PgImage,
            version,
            baselineVersion,
            runs,
            Math.Round(median, 1),
            Math.Round(baselineMedian, 1),
            Math.Round(median / baselineMedian, 3),
            [.. measured.Select(x => Math.Round(x, 1))],
            [.. compared.Select(x => Math.Round(x, 1))]);
    }

    private static string Name(ClusterRequest request) => $"{request.Backend}/{request.Network}/{request.Manager}";

    // Until StartAsync returns, that is until every replica streams; teardown is not timed.
    private static async Task<(double Ms, string ServerVersion)> TimeBringupAsync(IClusterProvider provider, ClusterRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var provided = await provider.StartAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (provided.ConfigureAwait(false))
        {
            return (stopwatch.Elapsed.TotalMilliseconds, provided.Cluster.ServerVersion);
        }
    }

    private static async Task<double> TimeInitDbAsync(PgBinaries binaries, ServerUser user, string workRoot, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(workRoot, $"bench-initdb-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        user.Own(directory);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var result = await user.RunAsync(binaries.Tool("initdb"), ["--pgdata", directory, .. TemplateCache.InitDbArguments], cancellationToken: cancellationToken).ConfigureAwait(false);
            var elapsed = stopwatch.Elapsed.TotalMilliseconds;
            return result.ExitCode == 0
                ? elapsed
                : throw new InvalidOperationException($"initdb failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
