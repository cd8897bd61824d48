using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg cluster up</c>: brings a cluster up (local or in containers), prints its connection strings, tears it down on Ctrl-C.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Number of streaming replicas (1-5).", DefaultValueFactory = _ => 1 };
        var replication = new Option<string>("--replication") { Description = "Replication mode.", DefaultValueFactory = _ => "async" };
        replication.AcceptOnlyFromAmong("async", "sync", "quorum");
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory (default: CHAOSPG_PG_BIN, pg_config, newest /usr/lib/postgresql/*/bin)." };

        var backend = new BackendOptions();
        var up = new Command("up", "Bring up a primary and its replicas (local processes or containers); Ctrl-C tears them down.") { replicas, replication, pgBin };
        backend.AddTo(up);
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
            IReplicatedCluster cluster = options.Backend == ClusterBackend.Docker
                ? await DockerCluster.StartAsync(spec, new DockerClusterOptions { PgImage = options.PgImage, ToxiproxyImage = options.ToxiproxyImage }, cancellationToken).ConfigureAwait(false)
                : await LocalCluster.StartAsync(spec, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (cluster.ConfigureAwait(false))
            {
                Console.WriteLine($"PostgreSQL {cluster.ServerVersion} ({cluster.Backend}), {spec.Replicas} replica(s), {spec.ReplicationMode.ToString().ToLowerInvariant()} replication");
                switch (cluster)
                {
                    case LocalCluster local:
                        Console.WriteLine($"work directory: {local.WorkDirectory}");
                        Console.WriteLine($"logs: {local.LogDirectory}");
                        break;
                    case DockerCluster docker:
                        Console.WriteLine($"docker run: {docker.RunId} (containers and networks labelled {DockerLabels.Run}={docker.RunId})");
                        break;
                }

                foreach (var node in cluster.Nodes)
                {
                    Console.WriteLine($"{node.Name} superuser: {node.GetConnectionString(DatabaseRole.Superuser)}");
                    Console.WriteLine($"{node.Name} app: {node.GetConnectionString(DatabaseRole.App)}");
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
