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

    /// <summary>
    /// Median bring-up of the same pair (primary + 1 replica streaming) as containers behind the Toxiproxy container
    /// and as local processes, interleaved in one run. The first of each is a warm-up and not measured.
    /// </summary>
    public static async Task<DockerBringupFigures> MeasureDockerAsync(int runs, string? pgBinDirectory, Docker.DockerClusterOptions dockerOptions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentNullException.ThrowIfNull(dockerOptions);
        var spec = ClusterSpec.CreateBuilder().WithReplicas(1).WithPgBinDirectory(pgBinDirectory).Build();
        var local = ImmutableArray.CreateBuilder<double>();
        var docker = ImmutableArray.CreateBuilder<double>();
        string localVersion = "unknown", dockerVersion = "unknown";
        for (var i = 0; i <= runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var localCluster = await LocalCluster.StartAsync(spec, cancellationToken: cancellationToken).ConfigureAwait(false);
            var localMs = stopwatch.Elapsed.TotalMilliseconds;
            localVersion = localCluster.ServerVersion;
            await localCluster.DisposeAsync().ConfigureAwait(false);

            stopwatch.Restart();
            var dockerCluster = await Docker.DockerCluster.StartAsync(spec, dockerOptions, cancellationToken).ConfigureAwait(false);
            var dockerMs = stopwatch.Elapsed.TotalMilliseconds;
            dockerVersion = dockerCluster.ServerVersion;
            await dockerCluster.DisposeAsync().ConfigureAwait(false);
            if (i > 0)
            {
                local.Add(localMs);
                docker.Add(dockerMs);
            }
        }

        var localMedian = Median(local);
        var dockerMedian = Median(docker);
        return new DockerBringupFigures(
            dockerOptions.PgImage,
            dockerVersion,
            localVersion,
            runs,
            Math.Round(dockerMedian, 1),
            Math.Round(localMedian, 1),
            Math.Round(dockerMedian / localMedian, 3),
            [.. docker.Select(x => Math.Round(x, 1))],
            [.. local.Select(x => Math.Round(x, 1))]);
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
