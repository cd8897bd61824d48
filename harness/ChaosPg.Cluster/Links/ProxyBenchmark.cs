using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ChaosPg.Cluster.Local;
using ChaosPg.Toxiproxy;
using ChaosPg.Toxiproxy.Server;
using Npgsql;

namespace ChaosPg.Cluster.Links;

/// <summary>
/// Measures what a proxy on a client link costs: pgbench select-only against one node, directly and through the
/// embedded server in this process, the embedded server in a child process, and toxiproxy-server when on PATH. With
/// <c>--network kernel</c> also the kernel path, and a second cluster of the same spec on 127.0.0.1 (<c>loopback</c>):
/// direct over loopback, as every proxy-mode run connects, against direct and the kernel path across the veths.
/// </summary>
public static partial class ProxyBenchmark
{
    /// <summary>The TPS ratio (proxied over direct) a proxy should reach.</summary>
    public const double GoalRatio = 0.80;

    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static async Task<ProxyBenchFigures> MeasureAsync(ProxyBenchOptions options, LocalClusterOptions? clusterOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RunLength, TimeSpan.FromSeconds(1));
        var spec = ClusterSpec.CreateBuilder().WithReplicas(1).WithPgBinDirectory(options.PgBinDirectory).Build();
        var kernel = options.Network == Providers.ClusterAxisNames.Kernel;
        // The kernel session outlives the cluster: namespaces are deleted after the server in them has stopped.
        var session = kernel
            ? await Networks.Kernel.KernelNetwork.StartSessionAsync(spec.NodeNames, cancellationToken).ConfigureAwait(false)
            : new Providers.NetworkSession(Providers.ClusterAxisNames.Proxy);
        await using var sessionScope = session.ConfigureAwait(false);
        var loopbackOptions = clusterOptions;
        if (kernel)
        {
            clusterOptions = (clusterOptions ?? new LocalClusterOptions()) with { NodeNetwork = session.NodeNetwork, LinkRouter = session.Router };
        }

        var cluster = await LocalCluster.StartAsync(spec, clusterOptions, cancellationToken).ConfigureAwait(false);
        await using (cluster.ConfigureAwait(false))
        {
            var node = cluster.Primary;
            var pgbench = LocatePgbench(cluster.Binaries);
            var environment = Login(node);
            await PgbenchAsync(pgbench, ["-i", "-q", "-s", Text(options.Scale), .. Target(node.Endpoint)], environment, cancellationToken).ConfigureAwait(false);

            var cleanup = new List<Func<ValueTask>>();
            try
            {
                LocalCluster? loopback = null;
                if (kernel)
                {
                    loopback = await LocalCluster.StartAsync(spec, loopbackOptions, cancellationToken).ConfigureAwait(false);
                    cleanup.Add(loopback.DisposeAsync);
                    await PgbenchAsync(pgbench, ["-i", "-q", "-s", Text(options.Scale), .. Target(loopback.Primary.Endpoint)], Login(loopback.Primary), cancellationToken).ConfigureAwait(false);
                }

                var modes = new List<(string Name, LinkEndpoint Endpoint)> { ("direct", node.Endpoint) };
                if (loopback is not null)
                {
                    modes.Add(("kernel", node.ClientEndpoint));
                    modes.Add(("loopback", loopback.Primary.Endpoint));
                }

                var inProcess = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken).ConfigureAwait(false);
                cleanup.Add(inProcess.DisposeAsync);
                modes.Add(("embedded-in-process", await RouteAsync(inProcess.ApiUri, node, cleanup, cancellationToken).ConfigureAwait(false)));
                if (!options.ChildProxyCommand.IsDefaultOrEmpty)
                {
                    var child = await ChildProxyProcess.StartAsync(options.ChildProxyCommand, cancellationToken: cancellationToken).ConfigureAwait(false);
                    cleanup.Add(child.DisposeAsync);
                    modes.Add(("embedded-child-process", await RouteAsync(child.ApiUri, node, cleanup, cancellationToken).ConfigureAwait(false)));
                }

                var toxiproxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions(), cancellationToken).ConfigureAwait(false);
                cleanup.Add(toxiproxy.DisposeAsync);
                if (toxiproxy.Kind == ToxiproxyKind.ToxiproxyServer)
                {
                    var router = new ToxiproxyLinkRouter(toxiproxy.Client);
                    cleanup.Add(router.DisposeAsync);
                    modes.Add(("toxiproxy-server", await router.RouteAsync(LinkNames.Client(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false)));
                }

                var select = new[] { "-S", "-n", "-c", Text(options.Clients), "-j", Text(options.Threads) };
                await PgbenchAsync(pgbench, [.. select, "-T", Text((int)WarmUp.TotalSeconds), .. Target(node.Endpoint)], environment, cancellationToken).ConfigureAwait(false);
                var runs = modes.ToDictionary(m => m.Name, _ => new List<(double Tps, double LatencyMs)>());
                for (var round = 0; round < options.Rounds; round++)
                {
                    foreach (var (name, endpoint) in modes)
                    {
                        var login = name == "loopback" ? Login(loopback!.Primary) : environment;
                        var output = await PgbenchAsync(pgbench, [.. select, "-T", Text((int)Math.Ceiling(options.RunLength.TotalSeconds)), .. Target(endpoint)], login, cancellationToken).ConfigureAwait(false);
                        runs[name].Add(Parse(output));
                    }
                }

                var direct = Summarise("direct", runs["direct"], null);
                return new ProxyBenchFigures(
                    cluster.Binaries.Version,
                    options.Scale,
                    options.Clients,
                    options.Threads,
                    Math.Ceiling(options.RunLength.TotalSeconds),
                    options.Rounds,
                    GoalRatio,
                    Environment.GetEnvironmentVariable(InlineCompletions),
                    [direct, .. modes.Skip(1).Select(m => Summarise(m.Name, runs[m.Name], direct))]);
            }
            finally
            {
                for (var i = cleanup.Count - 1; i >= 0; i--)
                {
                    await cleanup[i]().ConfigureAwait(false);
                }
            }
        }
    }

    // The password reaches pgbench through its environment only, never its command line.
    private static Dictionary<string, string> Login(LocalNode node)
    {
        var login = new NpgsqlConnectionStringBuilder(node.GetConnectionString(DatabaseRole.Superuser));
        return new Dictionary<string, string>
        {
            ["PGUSER"] = login.Username!,
            ["PGPASSWORD"] = login.Password!,
            ["PGDATABASE"] = login.Database!,
            ["PGSSLMODE"] = "disable",
        };
    }

    private static async Task<LinkEndpoint> RouteAsync(Uri apiUri, LocalNode node, List<Func<ValueTask>> cleanup, CancellationToken cancellationToken)
    {
        var client = new ToxiproxyClient(apiUri);
        cleanup.Add(() =>
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        });
        var router = new ToxiproxyLinkRouter(client);
        cleanup.Add(router.DisposeAsync);
        return await router.RouteAsync(LinkNames.Client(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
    }

    private static ProxyModeFigures Summarise(string mode, List<(double Tps, double LatencyMs)> runs, ProxyModeFigures? direct)
    {
        var tps = Median(runs.Select(r => r.Tps));
        var latency = Median(runs.Select(r => r.LatencyMs));
        return new ProxyModeFigures(
            mode,
            Math.Round(tps, 1),
            Math.Round(latency, 3),
            direct is null ? null : Math.Round(tps / direct.MedianTps, 3),
            direct is null ? null : Math.Round(latency - direct.MedianLatencyMs, 3),
            [.. runs.Select(r => Math.Round(r.Tps, 1))],
            [.. runs.Select(r => Math.Round(r.LatencyMs, 3))]);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static (double Tps, double LatencyMs) Parse(string output)
    {
        var tps = TpsLine().Match(output);
        var latency = LatencyLine().Match(output);
        if (!tps.Success || !latency.Success)
        {
            throw new InvalidOperationException($"pgbench printed no tps or latency average:\n{output}");
        }

        return (double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<string> PgbenchAsync(string pgbench, IEnumerable<string> arguments, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(pgbench, arguments, environment: environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"pgbench failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
    }

    private static string LocatePgbench(PgBinaries binaries)
    {
        var beside = binaries.Tool("pgbench");
        if (File.Exists(beside))
        {
            return beside;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Where(directory => directory.Length > 0)
            .Select(directory => Path.Combine(directory, "pgbench"))
            .FirstOrDefault(File.Exists)
            ?? throw new ClusterConfigurationException($"pgbench is neither in {binaries.BinDirectory} nor on PATH; install postgresql-contrib (or postgresql-client) for PostgreSQL {binaries.MajorVersion}");
    }

    private static string[] Target(LinkEndpoint endpoint) => ["-h", endpoint.Host, "-p", Text(endpoint.Port)];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^tps = ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();
}
