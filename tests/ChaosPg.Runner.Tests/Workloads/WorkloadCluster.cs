using ChaosPg.Cluster;
using ChaosPg.Cluster.Local;
using ChaosPg.Core.Snapshots;
using ChaosPg.Runner.Snapshots;
using ChaosPg.Runner.Workloads;
using Npgsql;

namespace ChaosPg.Runner.Tests.Workloads;

/// <summary>Helpers of the workload's Local tests: a PostgreSQL 15 cluster, workload options, snapshots, polling.</summary>
internal static class WorkloadCluster
{
    public const string PgBin = "/usr/lib/postgresql/15/bin";

    public static Task<LocalCluster> StartAsync(ReplicationMode mode = ReplicationMode.Async) =>
        LocalCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(1).WithReplicationMode(mode).WithPgBinDirectory(PgBin).Build(),
            new LocalClusterOptions { ReadyTimeout = TimeSpan.FromSeconds(30) });

    public static IReadOnlyList<WorkloadNode> Nodes(LocalCluster cluster) =>
        [.. cluster.Nodes.Select(n => new WorkloadNode(n.Name, n.ClientEndpoint.Host, n.ClientEndpoint.Port))];

    public static WorkloadOptions Options(LocalCluster cluster, string kind = "orders", int writers = 2, int readers = 2, int? rate = null, TimeSpan? clientTimeout = null) =>
        new(kind, writers, readers, rate, clientTimeout, Seed: 7, cluster.Primary.GetClientConnectionString(DatabaseRole.App));

    public static Task<FinalState> SnapshotAsync(LocalCluster cluster, long atMicros, string kind = "orders") =>
        SnapshotTaker.TakeAsync([.. cluster.Nodes.Select(n => (n.Name, n.GetConnectionString(DatabaseRole.Superuser)))], cluster.Primary.Name, atMicros, kind);

    public static async Task<T> ScalarAsync<T>(LocalNode node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.GetConnectionString(DatabaseRole.Superuser));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> at the deadline.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within {seconds}s: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until every replica replayed everything the primary wrote.</summary>
    public static Task WaitConvergedAsync(LocalCluster cluster) => EventuallyAsync(
        async () =>
        {
            var primary = await cluster.Primary.GetStatusAsync();
            foreach (var node in cluster.Nodes.Where(n => n != cluster.Primary))
            {
                if ((await node.GetStatusAsync()).ReplayLsn < primary.CurrentWalLsn)
                {
                    return false;
                }
            }

            return true;
        },
        "the replicas replay up to the primary's LSN");
}
