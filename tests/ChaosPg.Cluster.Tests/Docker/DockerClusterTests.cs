using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Networks.Kernel;
using Docker.DotNet.Models;
using Npgsql;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>The Docker backend against a real daemon: containers, the Toxiproxy container, faults and failover.</summary>
[Category("Docker")]
[NonParallelizable]
public class DockerClusterTests
{
    private static IEnumerable<string> PgImages => DockerTestEnvironment.PgImages;

    [TestCaseSource(nameof(PgImages))]
    public async Task A_replica_streams_through_the_proxy_container_and_a_partition_of_its_link_stops_it(string pgImage)
    {
        await using var cluster = await DockerTestEnvironment.StartAsync(pgImage);
        var replica = cluster["replica1"];

        var receiver = (await replica.GetStatusAsync()).WalReceiver;
        Assert.That(receiver?.Status, Is.EqualTo("streaming"));
        Assert.That(receiver?.SenderHost, Is.EqualTo(DockerCluster.ProxyAlias), "the WAL stream must come through the proxy");
        Assert.That(cluster.ServerVersion, Does.StartWith(pgImage.EndsWith(":17", StringComparison.Ordinal) ? "17." : pgImage.EndsWith(":15", StringComparison.Ordinal) ? "15." : string.Empty));

        var faults = cluster.LinkFaults!;
        await faults.PartitionAsync(LinkNames.WalStream("replica1", "primary"), LinkDirection.Both);
        Assert.That(await PollAsync(async () => (await cluster.Primary.GetStatusAsync()).Replication.All(r => r.ApplicationName != "replica1")), Is.True,
            "the primary's pg_stat_replication row of replica1 goes away");
        await WriteThroughClientLinkAsync(cluster, "during-partition");

        await faults.HealAsync();
        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        Assert.That(converged.Converged, Is.True, converged.ToString());
        Assert.That(await CountAsync(replica, "during-partition"), Is.EqualTo(1));
    }

    [TestCaseSource(nameof(PgImages))]
    public async Task Kill_promote_and_rejoin_with_pg_rewind_converge(string pgImage)
    {
        await using var cluster = await DockerTestEnvironment.StartAsync(pgImage);
        var oldPrimary = cluster.Primary;
        var replica = cluster["replica1"];
        await WriteThroughClientLinkAsync(cluster, "before-kill");
        Assert.That(await PollAsync(async () => await CountAsync(replica, "before-kill") == 1), Is.True);

        await oldPrimary.KillAsync();
        Assert.That(oldPrimary.IsRunning, Is.False);
        await replica.PromoteAsync();
        Assert.That(cluster.Primary, Is.SameAs(replica));
        await WriteThroughClientLinkAsync(cluster, "after-promote");

        await oldPrimary.RejoinAsync();
        Assert.That(oldPrimary.Upstream, Is.SameAs(replica));
        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        Assert.That(converged.Converged, Is.True, converged.ToString());
        Assert.That(await CountAsync(oldPrimary, "after-promote"), Is.EqualTo(1));
        var status = await oldPrimary.GetStatusAsync();
        Assert.That(status.Role, Is.EqualTo(NodeRole.Replica));
        Assert.That(status.WalReceiver?.SenderHost, Is.EqualTo(DockerCluster.ProxyAlias));
    }

    [Test]
    public async Task Under_sync_replication_a_promoted_container_waits_for_no_dead_node_and_for_the_old_primary_once_rejoined()
    {
        var spec = new ClusterSpecBuilder().WithReplicas(1).WithReplicationMode(ReplicationMode.Sync).Build();
        await using var cluster = await DockerTestEnvironment.StartAsync(PgImages.Last(), spec);
        var (oldPrimary, replica) = (cluster.Primary, cluster["replica1"]);
        await WriteThroughClientLinkAsync(cluster, "before-kill");

        await oldPrimary.KillAsync();
        await replica.PromoteAsync();
        Assert.That(await SynchronousStandbyNamesAsync(replica), Is.Empty, "neither itself nor the dead primary");
        await WriteThroughClientLinkAsync(cluster, "after-promote").WaitAsync(TimeSpan.FromSeconds(15));

        await oldPrimary.RejoinAsync();
        Assert.That(await SynchronousStandbyNamesAsync(replica), Is.EqualTo("FIRST 1 (primary)"));
        await WriteThroughClientLinkAsync(cluster, "after-rejoin").WaitAsync(TimeSpan.FromSeconds(15));
        Assert.That(await CountAsync(oldPrimary, "after-rejoin"), Is.EqualTo(1), "acknowledged under FIRST 1 (primary): already on the rejoined node");
    }

    [Test]
    public async Task Isolation_disconnects_a_node_from_the_cluster_network_while_the_harness_still_reaches_it()
    {
        await using var cluster = await DockerTestEnvironment.StartAsync(PgImages.Last());
        var replica = cluster["replica1"];
        Assert.That(replica.CanIsolate, Is.True);
        await WriteThroughClientLinkAsync(cluster, "before-isolation");
        Assert.That(await PollAsync(async () => await CountAsync(replica, "before-isolation") == 1), Is.True);

        await replica.IsolateAsync();
        await replica.IsolateAsync();

        Assert.That(await PollAsync(async () => (await cluster.Primary.GetStatusAsync()).Replication.All(r => r.ApplicationName != "replica1")), Is.True,
            "the primary's walsender for replica1 times out");
        Assert.That((await replica.GetStatusAsync()).Role, Is.EqualTo(NodeRole.Replica), "the harness's own connection goes through the admin network");
        var cutOff = new NpgsqlConnectionStringBuilder(replica.GetClientConnectionString(DatabaseRole.Superuser)) { Timeout = 5 }.ConnectionString;
        Assert.That(async () => await ExecuteAsync(cutOff, "SELECT 1"), Throws.InstanceOf<NpgsqlException>(), "the client link reaches an isolated node no more");
        await WriteThroughClientLinkAsync(cluster, "during-isolation");
        Assert.That(await CountAsync(replica, "during-isolation"), Is.Zero);

        await replica.ReconnectAsync();
        await replica.ReconnectAsync();

        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        Assert.That(converged.Converged, Is.True, converged.ToString());
        Assert.That(await CountAsync(replica, "during-isolation"), Is.EqualTo(1));
        await ExecuteAsync(replica.GetClientConnectionString(DatabaseRole.Superuser), "SELECT 1");
    }

    [Test]
    public async Task Pause_freezes_a_node_without_closing_connections_and_disposal_removes_every_container()
    {
        var pgImage = PgImages.First();
        string runId;
        var daemon = await DockerTestEnvironment.RequireDaemonAsync();
        await using (var cluster = await DockerTestEnvironment.StartAsync(pgImage))
        {
            runId = cluster.RunId;
            var replica = cluster["replica1"];
            await replica.PauseAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                Assert.That(async () => await replica.GetStatusAsync(timeout.Token), Throws.InstanceOf<Exception>(), "a frozen server answers nobody");
            }

            await replica.ResumeAsync();
            Assert.That((await replica.GetStatusAsync()).Role, Is.EqualTo(NodeRole.Replica));
        }

        using var client = DockerDaemon.CreateClient(daemon);
        var filter = DockerLabels.Filter($"{DockerLabels.Run}={runId}");
        Assert.That(await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }), Is.Empty);
        Assert.That(await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }), Is.Empty);
        Assert.That((await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter })).Volumes ?? [], Is.Empty);
    }

    [Test]
    public async Task A_rejoin_whose_pg_rewind_fails_leaves_the_node_down_and_says_why()
    {
        await using var cluster = await DockerTestEnvironment.StartAsync(PgImages.First());
        var oldPrimary = cluster.Primary;
        await cluster["replica1"].PromoteAsync();
        // Off the cluster's network, the stopped node's container cannot reach the new primary to rewind from it.
        await oldPrimary.IsolateAsync();

        var error = Assert.ThrowsAsync<NodeStartException>(() => oldPrimary.RejoinAsync());

        Assert.That(error!.Message, Does.Contain("pg_rewind").And.Contain("the node stays down"));
        Assert.That(oldPrimary.IsRunning, Is.False);
    }

    [Test]
    public async Task A_missing_image_is_a_clear_configuration_error()
    {
        await DockerTestEnvironment.RequireDaemonAsync();
        var error = Assert.ThrowsAsync<ClusterConfigurationException>(() => DockerCluster.StartAsync(
            new ClusterSpecBuilder().WithReplicas(1).Build(),
            new DockerClusterOptions { PgImage = "chaospg/no-such-image:0", ToxiproxyImage = DockerTestEnvironment.ToxiproxyImage }));
        Assert.That(error!.Message, Does.Contain("chaospg/no-such-image:0").And.Contain("--pg-image"));
    }

    [Test]
    public async Task In_the_kernel_mode_a_wal_partition_is_a_rule_in_the_primarys_container_that_outlives_its_restart_until_heal()
    {
        await DockerTestEnvironment.RequireDaemonAsync();
        var runId = KernelTopology.NewRunId();
        var topology = KernelTopology.ForContainers(runId, await KernelNetwork.FreeSubnetAsync(runId, CancellationToken.None), ["primary", "replica1"]);
        await using var cluster = await DockerCluster.StartAsync(
            new ClusterSpecBuilder().WithReplicas(1).Build(),
            new DockerClusterOptions { PgImage = PgImages.First(), Kernel = topology });
        var (primary, replica) = (cluster.Primary, cluster["replica1"]);
        Assert.That(cluster.Proxy, Is.Null, "no Toxiproxy container in the kernel mode");
        Assert.That((await replica.GetStatusAsync()).WalReceiver?.SenderHost, Is.EqualTo(topology.PeerAddress("primary")), "the WAL stream comes straight from the primary");
        Assert.That(primary.ClientEndpoint, Is.EqualTo(new LinkEndpoint(topology.PeerAddress("primary"), DockerCluster.PgPort)), "the workload reaches the node's peer address, no relay");
        Assert.That(primary.Endpoint.Host, Is.Not.EqualTo(topology.PeerAddress("primary")), "the harness uses the admin network");
        await WriteThroughClientLinkAsync(cluster, "before-partition");
        Assert.That(await PollAsync(async () => await CountAsync(replica, "before-partition") == 1), Is.True);

        await cluster.LinkFaults!.PartitionAsync(LinkNames.WalStream("replica1", "primary"), LinkDirection.Both);
        await primary.RestartAsync();
        Assert.That(await RulesAsync(primary), Has.Some.Contains("chaospg:partition:replica1->primary"), "put back in the restarted container's new namespace");
        Assert.That((await ProcessRunner.RunAsync("iptables", ["-w", "-S"])).StandardOutput, Does.Not.Contain("chaospg:"), "never a rule in the host's firewall");
        await WriteThroughClientLinkAsync(cluster, "during-partition");
        Assert.That((await primary.GetStatusAsync()).Replication.Select(r => r.ApplicationName), Has.No.Member("replica1"), "the replica cannot reach the restarted primary");
        Assert.That(await CountAsync(replica, "during-partition"), Is.Zero);

        await cluster.LinkFaults!.HealAsync();
        Assert.That(await RulesAsync(primary), Has.None.Contains("chaospg:"));
        Assert.That(await PollAsync(async () => await CountAsync(replica, "during-partition") == 1), Is.True, "the replica catches up after heal");
    }

    // The filter rules in a container's network namespace, read from the host as the kernel mode writes them.
    private static async Task<string[]> RulesAsync(DockerNode node)
    {
        var pid = (await ProcessRunner.RunAsync("docker", ["inspect", "-f", "{{.State.Pid}}", node.ContainerId!])).StandardOutput.Trim();
        return (await ProcessRunner.RunAsync("nsenter", ["-t", pid, "-n", "iptables", "-w", "-S"])).StandardOutput.Split('\n');
    }

    private static async Task WriteThroughClientLinkAsync(DockerCluster cluster, string tag)
    {
        await using var connection = new NpgsqlConnection(cluster.Primary.GetClientConnectionString(DatabaseRole.Superuser));
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS marks (tag text PRIMARY KEY)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("INSERT INTO marks VALUES ($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tag });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> SynchronousStandbyNamesAsync(DockerNode node)
    {
        await using var connection = new NpgsqlConnection(node.GetConnectionString(DatabaseRole.Superuser));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW synchronous_standby_names", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(DockerNode node, string tag)
    {
        await using var connection = new NpgsqlConnection(node.GetConnectionString(DatabaseRole.Superuser));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM marks WHERE tag = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tag });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (PostgresException)
            {
                // The table may not have replicated yet.
            }

            await Task.Delay(100);
        }

        return false;
    }
}
