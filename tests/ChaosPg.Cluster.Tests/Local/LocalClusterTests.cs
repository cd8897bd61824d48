using ChaosPg.Cluster.Local;
using Npgsql;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Local;

[Category("Local")]
public class LocalClusterTests
{
    [Test]
    public async Task Writes_on_the_primary_reach_every_replica()
    {
        await using var cluster = await StartAsync(replicas: 3);
        await ExecuteAsync(cluster.Primary, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");

        foreach (var replica in cluster.Nodes.Skip(1))
        {
            await EventuallyAsync(async () => await ScalarAsync<long>(replica, "SELECT count(*) FROM t") == 100, $"{replica.Name} has the 100 rows");
            var status = await replica.GetStatusAsync();
            Assert.That(status.Role, Is.EqualTo(NodeRole.Replica));
            Assert.That(status.WalReceiver?.Status, Is.EqualTo("streaming"));
        }

        var primaryStatus = await cluster.Primary.GetStatusAsync();
        Assert.That(primaryStatus.Replication.Select(r => (r.ApplicationName, r.State)), Is.EquivalentTo(new[] { ("replica1", "streaming"), ("replica2", "streaming"), ("replica3", "streaming") }));
    }

    [Test]
    public async Task A_sync_commit_waits_while_the_synchronous_replica_is_stopped_and_completes_when_it_returns()
    {
        await using var cluster = await StartAsync(replicas: 1, ReplicationMode.Sync);
        var replica = cluster["replica1"];
        await ExecuteAsync(cluster.Primary, "CREATE TABLE t (id int PRIMARY KEY)");
        Assert.That((await cluster.Primary.GetStatusAsync()).Replication.Single().SyncState, Is.EqualTo("sync"));

        await replica.StopAsync();
        var insert = ExecuteAsync(cluster.Primary, "INSERT INTO t VALUES (1)");
        await EventuallyAsync(
            async () => await ScalarAsync<long>(cluster.Primary, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'", DatabaseRole.Superuser) == 1,
            "the INSERT's COMMIT waits for the synchronous replica (wait_event SyncRep)");
        Assert.That(insert.IsCompleted, Is.False, "the commit completed without its synchronous replica");

        await replica.StartAsync();
        await insert.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(await ScalarAsync<long>(replica, "SELECT count(*) FROM t"), Is.EqualTo(1));
    }

    [Test]
    public async Task After_killing_the_primary_a_promoted_replica_takes_writes_on_timeline_2_and_the_other_replica_follows()
    {
        var router = new RecordingLinkRouter();
        await using var cluster = await StartAsync(replicas: 2, router: router);
        var (oldPrimary, replica1, replica2) = (cluster.Primary, cluster["replica1"], cluster["replica2"]);
        Assert.That(router.Routes, Is.SupersetOf(new[] { ("replica1->primary", oldPrimary.Endpoint), ("replica2->primary", oldPrimary.Endpoint), ("client->primary", oldPrimary.Endpoint), ("client->replica2", replica2.Endpoint) }));
        await ExecuteAsync(oldPrimary, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        foreach (var replica in new[] { replica1, replica2 })
        {
            await EventuallyAsync(async () => await ScalarAsync<long>(replica, "SELECT count(*) FROM t") == 1, $"{replica.Name} caught up");
        }

        await oldPrimary.KillAsync();
        Assert.That(oldPrimary.IsRunning, Is.False);
        await replica1.PromoteAsync();

        Assert.That(cluster.Primary, Is.SameAs(replica1));
        var promoted = await replica1.GetStatusAsync();
        Assert.That((promoted.Role, promoted.Timeline), Is.EqualTo((NodeRole.Primary, 2)));
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (2)");

        await EventuallyAsync(async () => await ScalarAsync<long>(replica2, "SELECT count(*) FROM t") == 2, "replica2 replays the write made on the new primary");
        var follower = await replica2.GetStatusAsync();
        Assert.That(follower.Timeline, Is.EqualTo(2));
        Assert.That(follower.WalReceiver?.SenderPort, Is.EqualTo(replica1.Port));
        Assert.That(replica2.Upstream, Is.SameAs(replica1));
        Assert.That(router.Routes, Does.Contain(("replica2->replica1", replica1.Endpoint)), "replica2's WAL link was routed to the new primary");
    }

    [Test]
    public async Task A_killed_primary_starts_again_with_its_committed_rows_and_its_replica_streams_again()
    {
        await using var cluster = await StartAsync(replicas: 1);
        await ExecuteAsync(cluster.Primary, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        var killedPid = cluster.Primary.Pid;

        await cluster.Primary.KillAsync();
        Assert.That(cluster.Primary.IsRunning, Is.False);
        await cluster.Primary.StartAsync();

        Assert.That(cluster.Primary.Pid, Is.Not.EqualTo(killedPid));
        Assert.That(await ScalarAsync<long>(cluster.Primary, "SELECT count(*) FROM t"), Is.EqualTo(1));
        await cluster.WaitForStreamingAsync(cluster.Primary, ["replica1"]);
        await cluster.Primary.RestartAsync();
        await cluster.WaitForStreamingAsync(cluster.Primary, ["replica1"]);
    }

    [Test]
    public async Task Quorum_mode_standbys_stream_with_quorum_sync_state()
    {
        await using var cluster = await StartAsync(replicas: 2, ReplicationMode.Quorum);

        var status = await cluster.Primary.GetStatusAsync();

        Assert.That(status.Replication.Select(r => r.SyncState), Is.EqualTo(new[] { "quorum", "quorum" }));
        Assert.That(await ScalarAsync<string>(cluster.Primary, "SHOW synchronous_standby_names", DatabaseRole.Superuser), Is.EqualTo("ANY 1 (replica1, replica2, primary)"));
    }

    [Test]
    public async Task A_paused_primary_times_queries_out_and_serves_them_again_after_resume()
    {
        await using var cluster = await StartAsync(replicas: 1);
        var quick = new NpgsqlConnectionStringBuilder(cluster.Primary.GetClientConnectionString(DatabaseRole.App)) { Timeout = 1, CommandTimeout = 1 }.ConnectionString;

        await cluster.Primary.PauseAsync();
        try
        {
            Assert.That(async () => await QueryOneAsync(quick), Throws.InstanceOf<NpgsqlException>().Or.InstanceOf<TimeoutException>());
        }
        finally
        {
            await cluster.Primary.ResumeAsync();
        }

        Assert.That(await QueryOneAsync(quick), Is.EqualTo(1));
    }

    [Test]
    public async Task A_rejoined_old_primary_loses_its_divergent_writes_and_streams_from_the_new_primary()
    {
        await using var cluster = await StartAsync(replicas: 1);
        var (oldPrimary, replica1) = (cluster.Primary, cluster["replica1"]);
        await ExecuteAsync(oldPrimary, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        await EventuallyAsync(async () => await ScalarAsync<long>(replica1, "SELECT count(*) FROM t") == 1, "replica1 caught up");

        // The old primary's timeline diverges: a write replica1 never receives, then a crash.
        await replica1.StopAsync();
        await ExecuteAsync(oldPrimary, "INSERT INTO t VALUES (100)");
        await oldPrimary.KillAsync();
        await replica1.StartAsync();
        await replica1.PromoteAsync();
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (2)");

        await oldPrimary.RejoinAsync();

        Assert.That((await oldPrimary.GetStatusAsync()).Role, Is.EqualTo(NodeRole.Replica));
        await EventuallyAsync(async () => (await oldPrimary.GetStatusAsync()).Timeline == 2, "the rejoined node follows timeline 2");
        Assert.That((await replica1.GetStatusAsync()).Replication.Select(r => (r.ApplicationName, r.State)), Is.EqualTo(new[] { ("primary", "streaming") }));
        Assert.That(await ScalarAsync<long>(oldPrimary, "SELECT count(*) FROM pg_replication_slots", DatabaseRole.Superuser), Is.Zero, "the old primary's slots are gone");
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (3)");
        await EventuallyAsync(
            async () => await ScalarAsync<string>(oldPrimary, "SELECT string_agg(id::text, ',' ORDER BY id) FROM t") == "1,2,3",
            "the rejoined node has exactly the new primary's rows 1,2,3 (not the divergent 100)");
    }

    [Test]
    public async Task Disposal_leaves_no_process_and_no_data_directory_and_is_safe_twice()
    {
        var cluster = await StartAsync(replicas: 2);
        var pids = cluster.Nodes.Select(n => n.Pid!.Value).ToList();
        var processes = pids.SelectMany(pid => ProcessTable.Children(pid).Append(pid)).ToList();
        Assert.That(processes, Has.Count.GreaterThan(pids.Count), "precondition: postmasters have children");

        await cluster.DisposeAsync();
        await cluster.DisposeAsync();

        Assert.That(processes.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Directory.Exists(cluster.WorkDirectory), Is.False);
    }

    [Test]
    public async Task A_node_that_cannot_start_reports_its_log_and_nothing_is_left_running()
    {
        // The postmaster, unlike the single-user setup step before it, needs a certificate when ssl is on.
        var spec = ClusterSpec.CreateBuilder().WithPgBinDirectory(PgBin).WithSetting("ssl", "on").Build();

        var error = Assert.ThrowsAsync<NodeStartException>(async () => await LocalCluster.StartAsync(spec));

        Assert.That(error!.Message, Does.Contain("node primary").And.Contain("server.crt"));
        // Tests of this assembly run one at a time, so no run of this process may be left.
        var ours = Directory.GetDirectories(Path.Combine(new LocalClusterOptions().WorkRoot, "runs"))
            .Select(run => RunOwnerFile.TryRead(Path.Combine(run, RunOwnerFile.FileName)))
            .Where(owner => owner?.HarnessPid == Environment.ProcessId);
        Assert.That(ours, Is.Empty);
    }

    private static async Task<int> QueryOneAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
