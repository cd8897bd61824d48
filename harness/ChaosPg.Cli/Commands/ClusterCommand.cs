using System.Collections.Immutable;
using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;
using ChaosPg.Runner.Targets;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg cluster up</c>: asks the provider for a cluster, prints its connection strings, tears it down on Ctrl-C.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Number of streaming replicas (1-5).", DefaultValueFactory = _ => 1 };
        var replication = new Option<string>("--replication") { Description = "Replication mode.", DefaultValueFactory = _ => "async" };
        replication.AcceptOnlyFromAmong("async", "sync", "quorum");
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory (default: CHAOSPG_PG_BIN, pg_config, newest /usr/lib/postgresql/*/bin)." };

        var writeTarget = new Option<string?>("--write-target")
        {
            Description = "Also write a target file for this cluster (and <file>.env with its password variables, readable by you alone), so that `chaospg run <scenario> --target <file>` in another process can judge it.",
        };
        var backend = new BackendOptions();
        var axes = new ClusterAxisOptions();
        var up = new Command("up", "Bring up a primary and its replicas (local processes or containers, links through Toxiproxy); Ctrl-C tears them down.") { replicas, replication, pgBin, writeTarget };
        backend.AddTo(up);
        axes.AddTo(up);
        up.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var spec = ClusterSpec.CreateBuilder()
                .WithReplicas(parseResult.GetValue(replicas))
                .WithReplicationMode(Enum.Parse<ReplicationMode>(parseResult.GetValue(replication)!, ignoreCase: true))
                .WithPgBinDirectory(parseResult.GetValue(pgBin))
                .Build();
            if (backend.Conflict(parseResult) is { } conflict)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var options = backend.Apply(parseResult, new Runner.Orchestration.ScenarioRunOptions());
            if (parseResult.GetValue(writeTarget) is not null && options.Backend != ClusterAxisNames.Local)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("chaospg: --write-target describes local clusters only in this version; leave out --backend or say --backend local").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var request = axes.Apply(parseResult, options.Request(spec));
            var problems = await options.Provider.PreflightAsync(request, cancellationToken).ConfigureAwait(false);
            if (!problems.IsEmpty)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("chaospg: " + string.Join("; ", problems)).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var provided = await options.Provider.StartAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (provided.ConfigureAwait(false))
            {
                var cluster = provided.Cluster;
                var facts = provided.Facts;
                Console.WriteLine($"PostgreSQL {cluster.ServerVersion} ({facts.Backend}, network {facts.Network}, manager {facts.Manager}), {spec.Replicas} replica(s), {spec.ReplicationMode.ToString().ToLowerInvariant()} replication");
                if (facts.ProxyKind is { } kind)
                {
                    Console.WriteLine($"links through Toxiproxy ({kind.ToString().ToLowerInvariant()}{(facts.ProxyVersion is null ? string.Empty : " " + facts.ProxyVersion)})");
                }

                foreach (var note in provided.Notes)
                {
                    Console.WriteLine(note);
                }

                foreach (var node in cluster.Nodes)
                {
                    Console.WriteLine($"{node.Name} superuser: {node.GetConnectionString(DatabaseRole.Superuser)}");
                    Console.WriteLine($"{node.Name} app: {node.GetConnectionString(DatabaseRole.App)}");
                    Console.WriteLine($"{node.Name} client link: {node.ClientEndpoint.Host}:{node.ClientEndpoint.Port}");
                }

                if (parseResult.GetValue(writeTarget) is { } targetFile && provided.Cluster is IDescribableAsTarget describable)
                {
                    var (file, envFile) = await WriteTargetAsync(describable, provided.Router, Path.GetFullPath(targetFile), cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"target file: {file} (passwords: {envFile}; `set -a; . {envFile}; set +a` before `chaospg run <scenario> --target {file}`)");
                }

                Console.WriteLine("ready; press Ctrl-C to stop and remove the cluster");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("stopping");
                }
            }

            return 0;
        }));

        return new Command("cluster", "PostgreSQL clusters to try things by hand.") { up };
    }

    // The env file is written first and readable by its owner alone: it holds the passwords the target file only names.
    private static async Task<(string File, string EnvFile)> WriteTargetAsync(IDescribableAsTarget cluster, ILinkRouter router, string file, CancellationToken cancellationToken)
    {
        var description = cluster.DescribeAsTarget(file);
        var spec = router is ToxiproxyLinkRouter toxiproxy
            ? description.Spec with { Toxiproxy = new TargetToxiproxy(toxiproxy.Client.ApiUri, toxiproxy.Links.ToImmutableDictionary(l => l.Link, l => l.ProxyName, StringComparer.Ordinal)) }
            : description.Spec;
        var envFile = file + ".env";
        await File.WriteAllTextAsync(envFile, string.Empty, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllLinesAsync(envFile, description.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(
            file,
            TargetWriter.Write(spec, [$"Written by `chaospg cluster up --write-target` for the cluster of pid {Environment.ProcessId}; valid while it runs.", $"Passwords: {envFile}."]),
            cancellationToken).ConfigureAwait(false);
        return (file, envFile);
    }
}
