using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Networks.Kernel;
using ChaosPg.Cluster.Providers;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Kernel;

/// <summary>Kernel-mode clusters for real: namespaces, veths, iptables (needs root, as CI runs).</summary>
[Category("Local")]
public sealed class KernelClusterTests
{
    private static readonly ClusterSpec Spec = ClusterSpec.CreateBuilder().WithReplicas(1).WithPgBinDirectory(PgBin).Build();

    [Test]
    public async Task A_one_way_partition_of_the_wal_link_stalls_the_replicas_receiver_while_the_primary_still_sees_it_and_nothing_is_left_behind()
    {
        KernelTopology topology;
        var provided = await ClusterProvider.Default.StartAsync(new ClusterRequest(Spec) { Network = ClusterAxisNames.Kernel });
        await using (provided)
        {
            topology = ((KernelLinkRouter)provided.Router).Topology;
            var primary = (LocalNode)provided.Cluster.Primary;
            var replica = (LocalNode)provided.Cluster["replica1"];
            Assert.That(await NamespacesAsync(), Is.SupersetOf(topology.Namespaces));
            Assert.That(replica.Upstream, Is.SameAs(primary));
            Assert.That(primary.Endpoint.Host, Is.EqualTo(topology.AdminAddress("primary")), "the harness uses the admin address");
            Assert.That(primary.ClientEndpoint.Host, Is.EqualTo(topology.PeerAddress("primary")), "the workload uses the peer address");
            await ExecuteAsync(primary, "CREATE TABLE t (id int PRIMARY KEY)");
            await EventuallyAsync(async () => await TableExistsAsync(replica), "the replica has the table before the fault");

            await provided.LinkFaults!.PartitionAsync(LinkNames.WalStream("replica1", "primary"), LinkDirection.Downstream);
            await ExecuteAsync(primary, "INSERT INTO t SELECT generate_series(1, 1000)");

            // The primary's packets are dropped: it has sent WAL the replica never received, yet its walsender still
            // reports the connection (no RST; the replica's replies still arrive), until a timeout ends it.
            await EventuallyAsync(
                async () => await ScalarAsync<bool>(primary, "SELECT count(*) = 1 FROM pg_stat_replication WHERE application_name = 'replica1' AND sent_lsn > replay_lsn", DatabaseRole.Superuser),
                "the primary still lists replica1 with WAL sent but not replayed");
            Assert.That(await ScalarAsync<long>(replica, "SELECT count(*) FROM t"), Is.Zero, "the replica received nothing of the insert");

            await provided.LinkFaults.HealAsync();
            await EventuallyAsync(async () => await ScalarAsync<long>(replica, "SELECT count(*) FROM t") == 1000, "the replica catches up after heal", seconds: 40);
        }

        Assert.That(await NamespacesAsync(), Has.None.Contains(topology.RunId), "every namespace of the run is gone");
        Assert.That((await ProcessRunner.RunAsync("ip", ["-o", "link", "show"])).StandardOutput, Does.Not.Contain(topology.HostInterface));
        Assert.That(File.Exists(KernelOwnerFile.PathOf(topology.RunId)), Is.False);
    }

    [Test]
    public async Task The_sweep_removes_the_namespaces_and_veth_of_a_run_whose_harness_died_and_leaves_a_live_runs_alone()
    {
        var dead = KernelTopology.Create(KernelTopology.NewRunId(), "10.199.1", ["primary"]);
        var live = KernelTopology.Create(KernelTopology.NewRunId(), "10.199.2", ["primary"]);
        // The dead run's owner is this process with another start time: what a reused pid looks like.
        await (KernelOwnerFile.Of(dead) with { HarnessStartTime = 1 }).WriteAsync();
        await KernelOwnerFile.Of(live).WriteAsync();
        try
        {
            await KernelShell.RunAsync(KernelSetup.Create(dead));
            await KernelShell.RunAsync(KernelSetup.Create(live));

            var swept = await KernelSweeper.SweepAsync();

            Assert.That(swept, Does.Contain(dead.RunId).And.Not.Contain(live.RunId));
            var namespaces = await NamespacesAsync();
            Assert.That(namespaces, Has.None.Contains(dead.RunId));
            Assert.That(namespaces, Is.SupersetOf(live.Namespaces));
            Assert.That((await ProcessRunner.RunAsync("ip", ["-o", "link", "show"])).StandardOutput, Does.Not.Contain(dead.HostInterface).And.Contain(live.HostInterface));
            Assert.That(File.Exists(KernelOwnerFile.PathOf(dead.RunId)), Is.False);
        }
        finally
        {
            await new KernelNetworkResources(live).DisposeAsync();
            await new KernelNetworkResources(dead).DisposeAsync();
        }
    }

    private static async Task<IReadOnlyList<string>> NamespacesAsync() =>
        KernelSweeper.ParseNamespaces((await ProcessRunner.RunAsync("ip", ["netns", "list"])).StandardOutput);

    private static async Task<bool> TableExistsAsync(LocalNode node) =>
        await ScalarAsync<bool>(node, "SELECT to_regclass('t') IS NOT NULL");
}
