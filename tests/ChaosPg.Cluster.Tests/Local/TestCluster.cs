using ChaosPg.Cluster.Local;
using Npgsql;

namespace ChaosPg.Cluster.Tests.Local;

/// <summary>Small helpers of the Local tests: PostgreSQL 15 clusters, SQL, and polling with a deadline.</summary>
internal static class TestCluster
{
    public const string PgBin = "/usr/lib/postgresql/15/bin";

    public static Task<LocalCluster> StartAsync(int replicas = 1, ReplicationMode mode = ReplicationMode.Async, ILinkRouter? router = null) =>
        LocalCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(replicas).WithReplicationMode(mode).WithPgBinDirectory(PgBin).Build(),
            new LocalClusterOptions { ReadyTimeout = TimeSpan.FromSeconds(30), LinkRouter = router });

    public static async Task ExecuteAsync(IClusterNode node, string sql, DatabaseRole role = DatabaseRole.App)
    {
        await using var connection = new NpgsqlConnection(node.GetClientConnectionString(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(IClusterNode node, string sql, DatabaseRole role = DatabaseRole.App)
    {
        await using var connection = new NpgsqlConnection(node.GetClientConnectionString(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> at the deadline.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // The server may be restarting; keep polling.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within {seconds}s: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The chaospg.dll built alongside these tests: tests/ChaosPg.Cluster.Tests/bin/&lt;configuration&gt;/&lt;tfm&gt;/ -> harness/ChaosPg.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string CliDll()
    {
        var tfmDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = tfmDirectory.Parent!.Name;
        var root = tfmDirectory.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "harness", "ChaosPg.Cli", "bin", configuration, tfmDirectory.Name, "chaospg.dll");
    }
}
