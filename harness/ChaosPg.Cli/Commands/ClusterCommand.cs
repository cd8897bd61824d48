using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Providers;

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

        var backend = new BackendOptions();
        var axes = new ClusterAxisOptions();
        var up = new Command("up", "Bring up a primary and its replicas (local processes or containers, links through Toxiproxy); Ctrl-C tears them down.") { replicas, replication, pgBin };
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
}
