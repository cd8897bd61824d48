using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Cluster.Providers;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Managers.Patroni;

/// <summary>The patroni manager as the provider composes it: real etcd and Patroni, links through the proxy network.</summary>
[Category("Local")]
public class PatroniManagerTests
{
    [Test]
    public async Task The_provider_starts_a_Patroni_cluster_whose_leader_cut_off_from_the_DCS_demotes_itself_within_the_ttl()
    {
        var settings = new PatroniSettings { Ttl = TimeSpan.FromSeconds(10), LoopWait = TimeSpan.FromSeconds(2), RetryTimeout = TimeSpan.FromSeconds(4) };
        var request = new ClusterRequest(ClusterSpec.CreateBuilder().WithReplicas(2).WithPgBinDirectory(PgBin).Build()) { Manager = "patroni", Patroni = settings };
        Assert.That(await ClusterProvider.Default.PreflightAsync(request), Is.Empty);

        await using var provided = await ClusterProvider.Default.StartAsync(request);
        Assert.That(provided.Facts.Manager, Is.EqualTo("patroni"));
        var cluster = (PatroniCluster)provided.Cluster;
        var leader = cluster.Primary;
        Assert.That(provided.LinkFaults, Is.Not.Null, "the proxy network mode's faults reach the manager's links");

        // The leader keeps its clients and its replicas, and loses only etcd.
        var faults = provided.LinkFaults!;
        await faults.PartitionAsync(PatroniLinkNames.Dcs(leader.Name, 1, 1), LinkDirection.Both);
        var bound = settings.Ttl + settings.LoopWait + TimeSpan.FromSeconds(15);
        var demoted = await cluster.Observer.WaitForAsync(o => o.Servers.TryGetValue(leader.Name, out var s) && s.InRecovery, bound);
        Assert.That(demoted, Is.True, $"{leader.Name} still accepted writes {bound.TotalSeconds}s after losing the DCS; changes: {string.Join("; ", cluster.Observer.Changes.Select(c => c.Evidence))}");
        var elected = await cluster.Observer.WaitForAsync(o => o.Cluster?.Leader is { } l && l != leader.Name && o.WritableServers.SequenceEqual([l]), bound);
        Assert.That(elected, Is.True, "another node leads, and it alone accepts writes");
        Assert.That(cluster.Observer.Changes.Any(c => c.Kind == RoleChangeKind.Demoted && c.Node == leader.Name), Is.True);

        await faults.HealAsync();
        await leader.RejoinAsync();
        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        Assert.That(converged.Converged, Is.True, () => string.Join("; ", converged.Replicas.Select(r => $"{r.Node}: {r.Problem}")));
    }

    [Test]
    public async Task Preflight_refuses_quorum_replication_and_settings_Patroni_would_misuse_before_anything_starts()
    {
        var quorum = new ClusterRequest(ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Quorum).WithPgBinDirectory(PgBin).Build()) { Manager = "patroni" };
        Assert.That(await ClusterProvider.Default.PreflightAsync(quorum), Has.Some.Contains("quorum is not available with manager patroni"));
        var tight = new ClusterRequest(ClusterSpec.CreateBuilder().WithPgBinDirectory(PgBin).Build()) { Manager = "patroni", Patroni = new PatroniSettings { Ttl = TimeSpan.FromSeconds(5) } };
        Assert.That(await ClusterProvider.Default.PreflightAsync(tight), Has.Some.Contains("must not exceed ttl"));
    }

    [Test]
    public void The_patroni_manager_runs_on_the_local_backend_only()
    {
        var registry = ClusterProviderRegistry.Default;
        Assert.That(registry.Manager("patroni").Supports(registry.Backend("local")), Is.True);
        Assert.That(registry.Manager("patroni").Supports(registry.Backend("docker")), Is.False);
    }
}
