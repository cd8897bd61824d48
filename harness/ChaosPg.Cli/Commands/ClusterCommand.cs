using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg cluster up</c>: brings a local cluster up, prints its connection strings, tears it down on Ctrl-C.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Number of streaming replicas (1-5).", DefaultValueFactory = _ => 1 };
        var replication = new Option<string>("--replication") { Description = "Replication mode.", DefaultValueFactory = _ => "async" };
        replication.AcceptOnlyFromAmong("async", "sync", "quorum");
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory (default: CHAOSPG_PG_BIN, pg_config, newest /usr/lib/postgresql/*/bin)." };

        var up = new Command("up", "Bring up a primary and its replicas as local processes; Ctrl-C tears them down.") { replicas, replication, pgBin };
        up.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var spec = ClusterSpec.CreateBuilder()
                .WithReplicas(parseResult.GetValue(replicas))
                .WithReplicationMode(Enum.Parse<ReplicationMode>(parseResult.GetValue(replication)!, ignoreCase: true))
                .WithPgBinDirectory(parseResult.GetValue(pgBin))
                .Build();
            var cluster = await LocalCluster.StartAsync(spec, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (cluster.ConfigureAwait(false))
            {
                Console.WriteLine($"PostgreSQL {cluster.Binaries.Version} ({cluster.Binaries.BinDirectory}), {spec.Replicas} replica(s), {spec.ReplicationMode.ToString().ToLowerInvariant()} replication");
                Console.WriteLine($"work directory: {cluster.WorkDirectory}");
                Console.WriteLine($"logs: {cluster.LogDirectory}");
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

        return new Command("cluster", "Local PostgreSQL clusters.") { up };
    }
}
