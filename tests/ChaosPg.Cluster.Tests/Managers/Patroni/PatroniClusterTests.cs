using ChaosPg.Cluster.Managers.Common;
using System.Diagnostics;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Toxiproxy;
using Npgsql;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Managers.Patroni;

/// <summary>Real etcd, real Patroni, real PostgreSQL 15, every link through the embedded Toxiproxy.</summary>
[Category("Local")]
public class PatroniClusterTests
{
    private static readonly PatroniSettings Fast = new() { Ttl = TimeSpan.FromSeconds(10), LoopWait = TimeSpan.FromSeconds(2), RetryTimeout = TimeSpan.FromSeconds(4) };

    [Test]
    public async Task After_the_leaders_Patroni_and_PostgreSQL_are_killed_Patroni_elects_a_new_leader_within_ttl_plus_loop_wait_and_multi_host_writes_reach_it()
    {
        await using var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions());
        await using var router = new ToxiproxyLinkRouter(proxy.Client);
        var bringUp = Stopwatch.StartNew();
        await using var cluster = await StartAsync(router, replicas: 2);
        TestContext.Out.WriteLine($"bring-up {bringUp.Elapsed.TotalSeconds:0.0}s");
        var oldLeader = cluster.Primary;
        Assert.That(oldLeader.Name, Is.EqualTo("primary"), "the first node bootstraps and leads");
        Assert.That(router.Links.Select(l => l.Link), Is.SupersetOf(new[]
        {
            "client->primary", "peers->primary", "api->primary", "primary->dcs", "peers->replica1", "replica2->dcs",
        }));
        var leaderStatus = await oldLeader.GetStatusAsync();
        Assert.That(leaderStatus.Replication.Select(r => (r.ApplicationName, r.State)), Is.EquivalentTo(new[] { ("replica1", "streaming"), ("replica2", "streaming") }));
        var replica1Status = await cluster["replica1"].GetStatusAsync();
        Assert.That(replica1Status.WalReceiver?.SenderPort, Is.EqualTo(router["peers->primary"].Listen.Port), "replicas stream through the leader's peers link");

        var multiHost = cluster.GetMultiHostConnectionString(DatabaseRole.App);
        await ExecuteAsync(multiHost, "CREATE TABLE t (id int PRIMARY KEY, port int)");
        await ExecuteAsync(multiHost, "INSERT INTO t VALUES (1, inet_server_port())");
        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(30));
        Assert.That(converged.Converged, Is.True, () => string.Join("; ", converged.Replicas.Select(r => $"{r.Node}: {r.Problem}")));

        var killedAt = Stopwatch.StartNew();
        await oldLeader.KillAllAsync();
        Assert.That((oldLeader.IsRunning, oldLeader.ManagerIsRunning), Is.EqualTo((false, false)));
        var bound = Fast.Ttl + Fast.LoopWait + TimeSpan.FromSeconds(15);
        var elected = await cluster.Observer.WaitForAsync(o => o.Cluster?.Leader is { } l && l != oldLeader.Name && o.WritableServers.Contains(l), bound);
        var electedAfter = killedAt.Elapsed;
        Assert.That(elected, Is.True, $"no new writable leader within {bound.TotalSeconds}s; changes: {string.Join("; ", cluster.Observer.Changes.Select(c => c.Evidence))}");
        var newLeader = cluster.Primary;
        TestContext.Out.WriteLine($"new leader {newLeader.Name} after {electedAfter.TotalSeconds:0.0}s");
        Assert.That(newLeader.Name, Is.AnyOf("replica1", "replica2"));
        Assert.That(cluster.Observer.Changes.Select(c => c.Kind), Does.Contain(RoleChangeKind.Promoted));
        Assert.That(cluster.Observer.Changes.Any(c => c.Kind is RoleChangeKind.LeaderChanged or RoleChangeKind.LeaderElected && c.Node == newLeader.Name), Is.True);

        var servedBy = 0;
        await EventuallyAsync(async () =>
        {
            await ExecuteAsync(multiHost, "INSERT INTO t VALUES (2, inet_server_port())");
            servedBy = await ScalarAsync<int>(multiHost, "SELECT port FROM t WHERE id = 2");
            return true;
        }, "a write through the multi-host connection string succeeds after the failover", seconds: 30);
        Assert.That(servedBy, Is.EqualTo(newLeader.Port), "the multi-host string found the new leader (the port its server listens on)");
        Assert.That(await ScalarAsync<long>(multiHost, "SELECT count(*) FROM t WHERE id = 1"), Is.EqualTo(1), "the write made before the failover survived it");
    }

    [Test]
    public async Task With_only_the_leaders_Patroni_killed_its_server_keeps_acknowledging_writes_beside_a_new_leader_until_Patroni_returns_and_rejoins_it()
    {
        await using var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions());
        await using var router = new ToxiproxyLinkRouter(proxy.Client);
        await using var cluster = await StartAsync(router, replicas: 2);
        var oldLeader = cluster.Primary;
        var oldLeaderWrites = oldLeader.GetClientConnectionString(DatabaseRole.App);
        await ExecuteAsync(oldLeaderWrites, "CREATE TABLE t (id int PRIMARY KEY)");

        await oldLeader.KillManagerAsync();
        Assert.That((oldLeader.IsRunning, oldLeader.ManagerIsRunning), Is.EqualTo((true, false)), "no watchdog: nothing fences the server");
        var bound = Fast.Ttl + Fast.LoopWait + TimeSpan.FromSeconds(15);
        var twoPrimaries = await cluster.Observer.WaitForAsync(o => o.Cluster?.Leader is { } l && l != oldLeader.Name && o.WritableServers.Length == 2, bound);
        Assert.That(twoPrimaries, Is.True, $"no second writable server within {bound.TotalSeconds}s; changes: {string.Join("; ", cluster.Observer.Changes.Select(c => c.Evidence))}");
        var newLeader = cluster.Primary;
        Assert.That(newLeader, Is.Not.SameAs(oldLeader));

        // Split brain: the old server acknowledges a write the new leader never gets.
        await ExecuteAsync(oldLeaderWrites, "INSERT INTO t VALUES (1)");
        Assert.That(await ScalarAsync<long>(newLeader.GetClientConnectionString(DatabaseRole.App), "SELECT count(*) FROM t WHERE id = 1"), Is.Zero);

        await oldLeader.RejoinAsync();
        var demoted = await cluster.Observer.WaitForAsync(o => o.WritableServers.SequenceEqual([newLeader.Name]), TimeSpan.FromSeconds(60));
        Assert.That(demoted, Is.True, "the old leader's Patroni demoted its server once it was back");
        Assert.That(cluster.Observer.Changes.Any(c => c.Kind == RoleChangeKind.Demoted && c.Node == oldLeader.Name), Is.True);
        Assert.That(oldLeader.Upstream, Is.SameAs(newLeader));
        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        Assert.That(converged.Converged, Is.True, () => string.Join("; ", converged.Replicas.Select(r => $"{r.Node}: {r.Problem}")));
        Assert.That(await ScalarAsync<long>(oldLeader.GetConnectionString(DatabaseRole.App), "SELECT count(*) FROM t WHERE id = 1"), Is.Zero, "pg_rewind discarded the write only the old leader had: it is lost");
    }

    private static Task<PatroniCluster> StartAsync(ILinkRouter router, int replicas, PatroniSettings? settings = null) =>
        PatroniCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(replicas).WithPgBinDirectory(PgBin).Build(),
            new PatroniClusterOptions { LinkRouter = router, Settings = settings ?? Fast, ReadyTimeout = TimeSpan.FromSeconds(120) });

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
