using System.Collections.Immutable;
using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using ChaosPg.Cluster.Links;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench proxy</c>: pgbench select-only TPS and latency, direct against through each proxy, interleaved.</summary>
public static class BenchProxyCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static Command Create()
    {
        var rounds = PositiveOption("--rounds", "Rounds of interleaved runs (direct, then each proxy).", 3);
        var seconds = PositiveOption("--seconds", "Length of each pgbench run in seconds.", 10);
        var clients = PositiveOption("--clients", "pgbench clients (-c).", 8);
        var threads = PositiveOption("--threads", "pgbench threads (-j).", 2);
        var scale = PositiveOption("--scale", "pgbench scale factor of the initialisation (-i -s).", 10);
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory." };
        var network = new Option<string>("--network") { Description = "proxy (default): the node on 127.0.0.1; kernel: the node in a network namespace, and the kernel path (no relay) and a second node on loopback measured too.", DefaultValueFactory = _ => "proxy" };
        network.AcceptOnlyFromAmong("proxy", "kernel");
        var command = new Command("proxy", "pgbench -S against one node directly, through the embedded proxy in this process and in a `chaospg proxy` child, and through toxiproxy-server if on PATH.")
        {
            rounds, seconds, clients, threads, scale, pgBin, network,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var options = new ProxyBenchOptions
            {
                Rounds = parseResult.GetValue(rounds),
                RunLength = TimeSpan.FromSeconds(parseResult.GetValue(seconds)),
                Clients = parseResult.GetValue(clients),
                Threads = parseResult.GetValue(threads),
                Scale = parseResult.GetValue(scale),
                PgBinDirectory = parseResult.GetValue(pgBin),
                ChildProxyCommand = ChildProxyCommand(),
                Network = parseResult.GetValue(network),
            };
            if (options.Network == "kernel" && ChaosPg.Cluster.Networks.Kernel.KernelNetwork.Problem() is { } problem)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }

            var figures = await ProxyBenchmark.MeasureAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(figures, JsonOptions));
            return 0;
        }));
        return command;
    }

    /// <summary>This very binary with <c>proxy</c>: the apphost itself, or <c>dotnet chaospg.dll</c> when run that way.</summary>
    private static ImmutableArray<string> ChildProxyCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Assembly.GetEntryAssembly()!.Location, "proxy"]
            : [process, "proxy"];
    }

    private static Option<int> PositiveOption(string name, string description, int defaultValue) =>
        new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue }.AtLeast(1);
}
