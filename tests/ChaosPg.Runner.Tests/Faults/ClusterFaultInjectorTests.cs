using ChaosPg.Cluster;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Faults;
using ChaosPg.Toxiproxy;
using Npgsql;

namespace ChaosPg.Runner.Tests.Faults;

/// <summary>The injector on a real cluster (primary + 2 replicas, sync FIRST 1) whose links go through the embedded Toxiproxy.</summary>
[Category("Local")]
public sealed class ClusterFaultInjectorTests
{
    private ToxiproxyHandle Proxy { get; set; } = null!;

    private ToxiproxyLinkRouter Router { get; set; } = null!;

    private LocalCluster Cluster { get; set; } = null!;

    private ClusterFaultInjector Injector { get; set; } = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        Proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { ServerExecutable = null });
        Router = new ToxiproxyLinkRouter(Proxy.Client);
        Cluster = await LocalCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Sync).WithPgBinDirectory(FaultTestSupport.PgBin).Build(),
            new LocalClusterOptions { ReadyTimeout = TimeSpan.FromSeconds(30), LinkRouter = Router });
        Injector = new ClusterFaultInjector(Cluster, new LinkFaults(Router));
        await FaultTestSupport.ExecuteAsync(Cluster.Primary.GetClientConnectionString(DatabaseRole.App), "CREATE TABLE t (id int PRIMARY KEY)");
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        await Cluster.DisposeAsync();
        await Router.DisposeAsync();
        await Proxy.DisposeAsync();
    }

    [TearDown]
    public async Task RestoreAsync()
    {
        await Injector.RunActionAsync(Planned(new HealAction(TimeSpan.Zero)));
        foreach (var node in Cluster.Nodes.Where(n => !n.IsRunning))
        {
            await node.StartAsync();
        }

        await Cluster.WaitForStreamingAsync(Cluster.Primary, ["replica1", "replica2"]);
    }

    [Test]
    public async Task A_kill_takes_the_node_down_and_its_removal_starts_it_streaming_again()
    {
        var kill = Planned(new KillFault(TimeSpan.Zero, "replica2", TimeSpan.FromSeconds(1)));

        await Injector.ApplyAsync(kill);
        Assert.That(Cluster["replica2"].IsRunning, Is.False);

        await Injector.RemoveAsync(kill);
        await Injector.RemoveAsync(kill);
        Assert.That(Cluster["replica2"].IsRunning, Is.True);
        await Cluster.WaitForStreamingAsync(Cluster.Primary, ["replica2"]);
    }

    [Test]
    public async Task A_restart_brings_back_a_node_killed_for_good()
    {
        await Injector.ApplyAsync(Planned(new KillFault(TimeSpan.Zero, "replica1")));
        var pid = Cluster["replica2"].Pid;

        await Injector.ApplyAsync(Planned(new RestartFault(TimeSpan.Zero, "replica1")));
        await Injector.ApplyAsync(Planned(new RestartFault(TimeSpan.Zero, "replica2")));

        Assert.That(Cluster["replica1"].IsRunning, Is.True);
        Assert.That(Cluster["replica2"].Pid, Is.Not.EqualTo(pid), "a running node is stopped and started again");
        await Cluster.WaitForStreamingAsync(Cluster.Primary, ["replica1", "replica2"]);
    }

    [Test]
    public async Task A_pause_stops_every_process_of_the_node_and_its_removal_resumes_them()
    {
        var replica = Cluster["replica2"];
        var pause = Planned(new PauseFault(TimeSpan.Zero, "replica2", TimeSpan.FromSeconds(1)));

        await Injector.ApplyAsync(pause);
        await FaultTestSupport.EventuallyAsync(() => FaultTestSupport.ProcessState(replica.Pid!.Value) == 'T', "the postmaster is stopped (state T)");
        var stopped = new NpgsqlConnectionStringBuilder(replica.GetConnectionString(DatabaseRole.App)) { Timeout = 1 }.ConnectionString;
        Assert.ThrowsAsync<NpgsqlException>(() => FaultTestSupport.ExecuteAsync(stopped, "SELECT 1"));

        await Injector.RemoveAsync(pause);
        await Injector.RemoveAsync(pause);
        Assert.That(FaultTestSupport.ProcessState(replica.Pid!.Value), Is.Not.EqualTo('T'));
        await FaultTestSupport.ExecuteAsync(replica.GetConnectionString(DatabaseRole.App), "SELECT 1");
    }

    [Test]
    public async Task A_node_partition_takes_down_every_link_of_the_step_and_removing_it_twice_restores_them()
    {
        var partition = Planned(new PartitionFault(TimeSpan.Zero, new NodeTarget("replica2"), TimeSpan.FromSeconds(1)));
        Assert.That(partition.Links.Select(l => l.ToString()), Is.EquivalentTo(new[] { "client->replica2", "replica2->primary" }));

        await Injector.ApplyAsync(partition);

        foreach (var proxy in (string[])["client-replica2", "replica2-primary"])
        {
            Assert.That((await Proxy.Client.GetProxyAsync(proxy)).Enabled, Is.False, proxy);
        }

        Assert.That((await Proxy.Client.GetProxyAsync("client-replica1")).Enabled, Is.True);
        await FaultTestSupport.EventuallyAsync(
            async () => (await Cluster.Primary.GetStatusAsync()).Replication.All(r => r.ApplicationName != "replica2"),
            "replica2 no longer streams from the primary");

        await Injector.RemoveAsync(partition);
        await Injector.RemoveAsync(partition);
        await Cluster.WaitForStreamingAsync(Cluster.Primary, ["replica2"]);
        await FaultTestSupport.ExecuteAsync(Cluster["replica2"].GetClientConnectionString(DatabaseRole.App), "SELECT 1");
    }

    [Test]
    public async Task A_local_isolation_blackholes_every_link_of_the_node_and_its_removal_lifts_it()
    {
        Assert.That(Cluster["replica2"].CanIsolate, Is.False, "local processes share the loopback");
        var isolate = Planned(new IsolateFault(TimeSpan.Zero, "replica2", TimeSpan.FromSeconds(1)));

        await Injector.ApplyAsync(isolate);

        foreach (var proxy in (string[])["client-replica2", "replica2-primary"])
        {
            var toxics = (await Proxy.Client.GetProxyAsync(proxy)).Toxics;
            Assert.That(toxics.Select(t => t.Type), Is.EquivalentTo(new[] { "timeout", "timeout" }), $"{proxy}: silent both ways");
        }

        Assert.That((await Proxy.Client.GetProxyAsync("client-replica1")).Toxics, Is.Empty);
        var silent = new NpgsqlConnectionStringBuilder(Cluster["replica2"].GetClientConnectionString(DatabaseRole.App)) { Timeout = 1 }.ConnectionString;
        Assert.ThrowsAsync<NpgsqlException>(() => FaultTestSupport.ExecuteAsync(silent, "SELECT 1"));
        await FaultTestSupport.ExecuteAsync(Cluster["replica2"].GetConnectionString(DatabaseRole.App), "SELECT 1");

        await Injector.RemoveAsync(isolate);
        await Injector.RemoveAsync(isolate);
        var lifted = (await Proxy.Client.GetProxiesAsync()).Values.Where(p => !p.Toxics.IsEmpty).Select(p => p.Name);
        Assert.That(lifted, Is.Empty);
        await FaultTestSupport.ExecuteAsync(Cluster["replica2"].GetClientConnectionString(DatabaseRole.App), "SELECT 1");
    }

    [Test]
    public async Task Terminate_backends_ends_the_sessions_waiting_for_synchronous_replication()
    {
        var partitions = ScheduleSimulator.Simulate(
            [
                new PartitionFault(TimeSpan.Zero, new LinkTarget(new Link("replica1", "primary"))),
                new PartitionFault(TimeSpan.Zero, new LinkTarget(new Link("replica2", "primary"))),
            ],
            2,
            TimeSpan.FromMinutes(1)).Entries.Where(e => e.Operation == PlannedOperation.Apply).Select(e => e.Step).ToList();
        foreach (var partition in partitions)
        {
            await Injector.ApplyAsync(partition);
        }

        await using var session = new NpgsqlConnection(Cluster.Primary.GetClientConnectionString(DatabaseRole.App));
        await session.OpenAsync();
        var notices = new List<PostgresNotice>();
        session.Notice += (_, e) => notices.Add(e.Notice);
        await using var command = new NpgsqlCommand("INSERT INTO t VALUES (1)", session);
        var insert = command.ExecuteNonQueryAsync();
        await FaultTestSupport.EventuallyAsync(
            async () => await FaultTestSupport.ScalarAsync<long>(Cluster.Primary.GetConnectionString(DatabaseRole.Superuser), "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") == 1,
            "the INSERT's commit waits for a synchronous replica");

        await Injector.ApplyAsync(Planned(new TerminateBackendsFault(TimeSpan.Zero, "primary")));

        // The server warns that the commit happened locally and then closes the connection without an error message:
        // for the client the outcome is unknown.
        Assert.ThrowsAsync<NpgsqlException>(() => insert.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(session.State, Is.EqualTo(System.Data.ConnectionState.Closed));
        Assert.That(notices.Select(n => n.SqlState), Is.EqualTo(new[] { PostgresErrorCodes.AdminShutdown }));
        foreach (var partition in partitions)
        {
            await Injector.RemoveAsync(partition);
        }
    }

    [Test]
    public async Task Heal_removes_network_faults_and_resumes_paused_nodes_but_leaves_killed_nodes_down()
    {
        await Injector.ApplyAsync(Planned(new PartitionFault(TimeSpan.Zero, new NodeTarget("primary"))));
        await Injector.ApplyAsync(Planned(new PauseFault(TimeSpan.Zero, "replica1")));
        await Injector.ApplyAsync(Planned(new KillFault(TimeSpan.Zero, "replica2")));

        await Injector.RunActionAsync(Planned(new HealAction(TimeSpan.Zero)));

        var faulted = (await Proxy.Client.GetProxiesAsync()).Values.Where(p => !p.Enabled || !p.Toxics.IsEmpty).Select(p => p.Name);
        Assert.That(faulted, Is.Empty, "proxies still disabled or with toxics after heal");
        Assert.That(FaultTestSupport.ProcessState(Cluster["replica1"].Pid!.Value), Is.Not.EqualTo('T'));
        Assert.That(Cluster["replica2"].IsRunning, Is.False, "heal leaves a killed node down");
        await Cluster.WaitForStreamingAsync(Cluster.Primary, ["replica1"]);
    }

    [Test]
    public void Network_faults_are_refused_when_the_links_are_not_proxied()
    {
        var direct = new ClusterFaultInjector(Cluster, linkFaults: null);

        var refusal = Assert.ThrowsAsync<InvalidOperationException>(() => direct.ApplyAsync(Planned(new BlackholeFault(TimeSpan.Zero, new NodeTarget("replica1"), TimeSpan.FromSeconds(1)))));

        Assert.That(refusal!.Message, Does.Contain("Toxiproxy"));
    }

    /// <summary>A step as the schedule simulator plans it on this cluster's starting topology (node targets resolved to links).</summary>
    private static PlannedStep Planned(ScheduleStep step) =>
        ScheduleSimulator.Simulate([step], 2, TimeSpan.FromMinutes(1)).Entries.First().Step;
}
