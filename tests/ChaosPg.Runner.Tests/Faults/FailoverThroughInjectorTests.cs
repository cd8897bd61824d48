using ChaosPg.Cluster;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Faults;
using ChaosPg.Runner.Scheduling;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Tests.Faults;

/// <summary>A failover schedule played by the real executor and injector on a proxied primary + 2 replicas.</summary>
[Category("Local")]
public sealed class FailoverThroughInjectorTests
{
    [Test]
    public async Task Kill_promote_and_rejoin_re_point_the_WAL_links_through_their_proxies_and_the_cluster_converges()
    {
        await using var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { ServerExecutable = null });
        await using var router = new ToxiproxyLinkRouter(proxy.Client);
        await using var cluster = await LocalCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(2).WithPgBinDirectory(FaultTestSupport.PgBin).Build(),
            new LocalClusterOptions { ReadyTimeout = TimeSpan.FromSeconds(30), LinkRouter = router });
        var (primary, replica1, replica2) = (cluster.Primary, cluster["replica1"], cluster["replica2"]);
        await FaultTestSupport.ExecuteAsync(primary.GetClientConnectionString(DatabaseRole.App), "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        Assert.That((await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(20))).Converged, Is.True);
        var injector = new ClusterFaultInjector(cluster, new LinkFaults(router));
        var plan = ScheduleSimulator.Simulate(
            [
                new KillFault(TimeSpan.Zero, "primary"),
                new PromoteAction(TimeSpan.Zero, "replica1"),
                new PartitionFault(TimeSpan.Zero, new LinkTarget(new Link("replica2", "replica1")), TimeSpan.FromMilliseconds(500)),
                new RejoinAction(TimeSpan.FromMilliseconds(500), "primary"),
                new WaitConvergedAction(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)),
            ],
            2,
            TimeSpan.FromMinutes(1));
        Assert.That(plan.Issues, Is.Empty);
        var events = new List<ScheduleEvent>();

        await new ScheduleExecutor(injector, TimeProvider.System, TimeSpan.FromSeconds(30)).RunAsync(plan, DateTimeOffset.UtcNow, events.Add);

        Assert.That(events.Select(e => (e.Operation, e.Step.Step.Keyword)), Is.EqualTo(new[]
        {
            (PlannedOperation.Apply, "kill"), (PlannedOperation.Run, "promote"), (PlannedOperation.Apply, "partition"),
            (PlannedOperation.Remove, "partition"), (PlannedOperation.Run, "rejoin"), (PlannedOperation.Run, "wait-converged"),
        }));
        Assert.That(cluster.Primary, Is.SameAs(replica1));
        Assert.That(injector.LastConvergence, Is.Not.Null);
        Assert.That(injector.LastConvergence!.Converged, Is.True, () => string.Join("; ", injector.LastConvergence.Replicas));
        Assert.That(injector.LastConvergence.Replicas.Select(r => (r.Node, r.Upstream)), Is.EquivalentTo(new[] { ("primary", "replica1"), ("replica2", "replica1") }));
        foreach (var (follower, link) in new[] { (replica2, "replica2->replica1"), (primary, "primary->replica1") })
        {
            Assert.That(router[link].Upstream, Is.EqualTo(replica1.Endpoint), link);
            var receiver = (await follower.GetStatusAsync()).WalReceiver;
            Assert.That((receiver?.Status, receiver?.SenderPort), Is.EqualTo(("streaming", (int?)router[link].Listen.Port)), $"{follower.Name} streams through the {link} proxy");
        }

        await FaultTestSupport.ExecuteAsync(replica1.GetClientConnectionString(DatabaseRole.App), "INSERT INTO t VALUES (2)");
        Assert.That((await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(20))).Converged, Is.True);
        foreach (var node in new[] { primary, replica2 })
        {
            Assert.That(await FaultTestSupport.ScalarAsync<long>(node.GetClientConnectionString(DatabaseRole.App), "SELECT count(*) FROM t"), Is.EqualTo(2), node.Name);
        }
    }
}
