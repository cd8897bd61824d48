using System.Collections.Immutable;
using System.Diagnostics;

namespace ChaosPg.Cluster.Local;

/// <summary>Measures cluster bring-up against bare initdb, the cost the template cache exists to avoid.</summary>
public static class BringupBenchmark
{
    public static async Task<BringupFigures> MeasureAsync(int runs, string? pgBinDirectory, LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        options ??= new LocalClusterOptions();
        var spec = ClusterSpec.CreateBuilder().WithReplicas(1).WithPgBinDirectory(pgBinDirectory).Build();
        // The first bring-up builds the template if needed; it is not what is measured.
        await (await LocalCluster.StartAsync(spec, options, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);

        var user = ServerUser.Resolve(options.ServerUserName);
        var bringup = ImmutableArray.CreateBuilder<double>();
        var initdb = ImmutableArray.CreateBuilder<double>();
        PgBinaries? binaries = null;
        // Interleaved, so that a change in machine load (the disk and CPUs are shared) weighs on both alike.
        for (var i = 0; i < runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var cluster = await LocalCluster.StartAsync(spec, options, cancellationToken).ConfigureAwait(false);
            await using (cluster.ConfigureAwait(false))
            {
                bringup.Add(stopwatch.Elapsed.TotalMilliseconds);
                binaries = cluster.Binaries;
            }

            initdb.Add(await TimeInitDbAsync(binaries, user, options.WorkRoot, cancellationToken).ConfigureAwait(false));
        }

        var bringupMedian = Median(bringup);
        var initdbMedian = Median(initdb);
        return new BringupFigures(
            binaries!.Version,
            runs,
            Math.Round(bringupMedian, 1),
            Math.Round(initdbMedian, 1),
            Math.Round(bringupMedian / initdbMedian, 3),
            [.. bringup.Select(x => Math.Round(x, 1))],
            [.. initdb.Select(x => Math.Round(x, 1))]);
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
