using System.Diagnostics;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Toxiproxy;
using ChaosPg.Toxiproxy.Server;
using Npgsql;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Links;

/// <summary>Faults on the links of a primary + 1 replica whose client and WAL links all go through the embedded Toxiproxy.</summary>
[Category("Local")]
public sealed class LinkFaultTests
{
    private const string WalLink = "replica1->primary";
    private int nextId;

    private ToxiproxyServer Server { get; set; } = null!;

    private ToxiproxyClient Client { get; set; } = null!;

    private ToxiproxyLinkRouter Router { get; set; } = null!;

    private LocalCluster Cluster { get; set; } = null!;

    private LinkFaults Faults { get; set; } = null!;

    private LocalNode Replica => Cluster["replica1"];

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        Server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 });
        Client = new ToxiproxyClient(Server.ApiUri);
        Router = new ToxiproxyLinkRouter(Client);
        Cluster = await StartAsync(replicas: 1, router: Router);
        Faults = new LinkFaults(Router);
        await ExecuteAsync(Cluster.Primary, "CREATE TABLE t (id int PRIMARY KEY)");
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        await Cluster.DisposeAsync();
        await Router.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
    }

    [TearDown]
    public async Task HealAsync()
    {
        await Faults.HealAsync();
        await Cluster.WaitForStreamingAsync(Cluster.Primary, ["replica1"]);
    }

    [Test]
    public void Every_client_and_WAL_link_goes_through_its_proxy()
    {
        Assert.That(Router.Links.Select(l => (l.Link, l.Upstream)), Is.EquivalentTo(new[]
        {
            ("client->primary", Cluster.Primary.Endpoint),
            ("client->replica1", Replica.Endpoint),
            (WalLink, Cluster.Primary.Endpoint),
        }));
        Assert.That(Cluster.Primary.ClientEndpoint, Is.EqualTo(Router["client->primary"].Listen));
        Assert.That(Replica.ClientEndpoint, Is.EqualTo(Router["client->replica1"].Listen));
    }

    [Test]
    public async Task Partitioning_the_WAL_link_stops_streaming_and_healing_lets_the_replica_catch_up()
    {
        Assert.That((await Replica.GetStatusAsync()).WalReceiver?.SenderPort, Is.EqualTo(Router[WalLink].Listen.Port), "the replica streams through its WAL link");

        await Faults.PartitionAsync(WalLink);

        await EventuallyAsync(async () => (await Replica.GetStatusAsync()).WalReceiver?.Status is not "streaming", "the replica's WAL receiver leaves streaming");
        await EventuallyAsync(async () => (await Cluster.Primary.GetStatusAsync()).Replication.IsEmpty, "the primary's pg_stat_replication row of replica1 goes away");
        var id = await InsertAsync();
        Assert.That(await CountAsync(id), Is.Zero, "a row written during the partition cannot be on the replica yet");

        await Faults.HealAsync();

        await EventuallyAsync(async () => await CountAsync(id) == 1, "the row written during the partition reaches the replica");
        Assert.That((await Replica.GetStatusAsync()).WalReceiver?.Status, Is.EqualTo("streaming"));
    }

    [Test]
    public async Task Latency_on_the_WAL_link_delays_when_writes_become_visible_on_the_replica()
    {
        var baseline = await MedianVisibilityAsync();

        await Faults.LatencyAsync(WalLink, TimeSpan.FromMilliseconds(300), TimeSpan.Zero, LinkDirection.Downstream);
        var delayed = await MedianVisibilityAsync();

        TestContext.Out.WriteLine($"write -> visible on the replica: {baseline.TotalMilliseconds:0} ms direct, {delayed.TotalMilliseconds:0} ms with 300 ms latency");
        Assert.That(delayed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280)));
        Assert.That(delayed - baseline, Is.GreaterThan(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public async Task A_blackholed_client_link_fails_queries_at_the_client_timeout_instead_of_hanging()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(Cluster.Primary.GetClientConnectionString(DatabaseRole.App)) { Timeout = 2, CommandTimeout = 1, CancellationTimeout = 500 }.ConnectionString;
        await using var open = new NpgsqlConnection(connectionString);
        await open.OpenAsync();

        await Faults.BlackholeAsync("client->primary");

        await using var command = new NpgsqlCommand("SELECT 1", open);
        var query = Assert.ThrowsAsync<NpgsqlException>(() => command.ExecuteScalarAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(query!.InnerException, Is.InstanceOf<TimeoutException>(), "the query on an open connection ends with the command timeout");
        await using var fresh = new NpgsqlConnection(connectionString);
        var connect = Assert.ThrowsAsync<NpgsqlException>(() => fresh.OpenAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(connect!.InnerException, Is.InstanceOf<TimeoutException>(), "a new connection ends with the connect timeout");
    }

    [Test]
    public async Task A_reset_client_link_resets_connections_at_their_first_packet()
    {
        await Faults.ResetPeerAsync("client->replica1");

        await using var connection = new NpgsqlConnection(Replica.GetClientConnectionString(DatabaseRole.App));
        var failure = Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(failure!.InnerException, Is.InstanceOf<IOException>().Or.InstanceOf<System.Net.Sockets.SocketException>());
    }

    [Test]
    public async Task Bandwidth_on_the_client_link_slows_a_large_result()
    {
        await Faults.BandwidthAsync("client->primary", 20, LinkDirection.Downstream);

        var stopwatch = Stopwatch.StartNew();
        var text = await ScalarAsync<string>(Cluster.Primary, "SELECT repeat('x', 60000)");

        Assert.That(text, Has.Length.EqualTo(60000));
        Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "60 KB at 20 KB/s");
    }

    [Test]
    public async Task Removing_a_partition_leaves_the_latency_on_the_same_link()
    {
        var latency = await Faults.LatencyAsync("client->primary", TimeSpan.FromMilliseconds(400), TimeSpan.Zero, LinkDirection.Upstream);
        var partition = await Faults.PartitionAsync("client->primary");
        await using (var refused = new NpgsqlConnection(Cluster.Primary.GetClientConnectionString(DatabaseRole.App)))
        {
            Assert.ThrowsAsync<NpgsqlException>(() => refused.OpenAsync());
        }

        await Faults.RemoveAsync(partition);
        await Faults.RemoveAsync(partition);

        var stopwatch = Stopwatch.StartNew();
        Assert.That(await ScalarAsync<int>(Cluster.Primary, "SELECT 1"), Is.EqualTo(1));
        Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400)), "the latency toxic still delays what the client sends");
        await Faults.RemoveAsync(latency);
    }

    [Test]
    public async Task Waiting_for_convergence_reports_a_partitioned_replica_with_its_lag_and_succeeds_after_heal()
    {
        await Faults.PartitionAsync(WalLink);
        var id = await InsertAsync();

        var stuck = await Cluster.WaitConvergedAsync(TimeSpan.FromSeconds(1));

        Assert.That(stuck.Converged, Is.False);
        Assert.That(stuck.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(950)), "it waited out the deadline (timers may fire a little early)");
        var replica = stuck.Replicas.Single();
        Assert.That((replica.Node, replica.Upstream, replica.Converged), Is.EqualTo(("replica1", "primary", false)));
        Assert.That(replica.LagBytes, Is.GreaterThan(0));

        await Faults.HealAsync();
        var healed = await Cluster.WaitConvergedAsync(TimeSpan.FromSeconds(30));

        Assert.That(healed.Converged, Is.True, () => string.Join("; ", healed.Replicas));
        Assert.That(healed.Replicas.Single(), Has.Property(nameof(ReplicaConvergence.LagBytes)).EqualTo(0UL).And.Property(nameof(ReplicaConvergence.Streaming)).True);
        Assert.That(await CountAsync(id), Is.EqualTo(1), "converged means the row written during the partition is on the replica");
    }

    private async Task<int> InsertAsync()
    {
        var id = Interlocked.Increment(ref nextId);
        await ExecuteAsync(Cluster.Primary, $"INSERT INTO t VALUES ({id})");
        return id;
    }

    private async Task<long> CountAsync(int id)
    {
        await using var connection = new NpgsqlConnection(Replica.GetConnectionString(DatabaseRole.App));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM t WHERE id = {id}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The median, over five writes, of the time from a commit on the primary to the row being visible on the replica.</summary>
    private async Task<TimeSpan> MedianVisibilityAsync()
    {
        await using var replica = new NpgsqlConnection(Replica.GetConnectionString(DatabaseRole.App));
        await replica.OpenAsync();
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var id = await InsertAsync();
            var stopwatch = Stopwatch.StartNew();
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM t WHERE id = {id}", replica);
            while ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the write never reached the replica");
                await Task.Delay(2);
            }

            times.Add(stopwatch.Elapsed);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
