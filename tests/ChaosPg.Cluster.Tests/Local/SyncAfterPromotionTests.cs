using ChaosPg.Cluster.Local;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Local;

/// <summary>What a promoted node waits for under synchronous replication: its surviving standbys, or nothing.</summary>
[Category("Local")]
public class SyncAfterPromotionTests
{
    private static readonly TimeSpan CommitDeadline = TimeSpan.FromSeconds(15);

    [Test]
    public async Task After_promotion_under_sync_with_two_replicas_the_new_primary_waits_for_exactly_its_surviving_standby_and_a_write_commits()
    {
        await using var cluster = await StartAsync(replicas: 2, ReplicationMode.Sync, SyncAfterPromotion.Surviving);
        var (oldPrimary, replica1, replica2) = (cluster.Primary, cluster["replica1"], cluster["replica2"]);
        await ExecuteAsync(oldPrimary, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");

        await oldPrimary.KillAsync();
        await replica1.PromoteAsync();

        Assert.That(await SynchronousStandbyNamesAsync(replica1), Is.EqualTo("FIRST 1 (replica2)"), "neither itself nor the dead primary");
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (2)").WaitAsync(CommitDeadline);
        await EventuallyAsync(
            async () => (await replica1.GetStatusAsync()).Replication.Any(r => r.ApplicationName == "replica2" && r.SyncState == "sync"),
            "replica2 is the new primary's synchronous standby");
        Assert.That(await ScalarAsync<long>(replica2, "SELECT count(*) FROM t"), Is.EqualTo(2), "a commit acknowledged under FIRST 1 (replica2) is on replica2");
    }

    [Test]
    public async Task With_no_standby_left_a_promoted_node_commits_without_waiting_and_waits_for_the_old_primary_once_it_has_rejoined()
    {
        await using var cluster = await StartAsync(replicas: 1, ReplicationMode.Sync, SyncAfterPromotion.Surviving);
        var (oldPrimary, replica1) = (cluster.Primary, cluster["replica1"]);
        await ExecuteAsync(oldPrimary, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");

        await oldPrimary.KillAsync();
        await replica1.PromoteAsync();
        Assert.That(await SynchronousStandbyNamesAsync(replica1), Is.Empty);
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (2)").WaitAsync(CommitDeadline);

        await oldPrimary.RejoinAsync();
        Assert.That(await SynchronousStandbyNamesAsync(replica1), Is.EqualTo("FIRST 1 (primary)"));
        Assert.That((await replica1.GetStatusAsync()).Replication.Select(r => (r.ApplicationName, r.SyncState)), Is.EqualTo(new[] { ("primary", "sync") }));
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (3)").WaitAsync(CommitDeadline);
        Assert.That(await ScalarAsync<long>(oldPrimary, "SELECT count(*) FROM t"), Is.EqualTo(3), "a commit acknowledged under FIRST 1 (primary) is on the rejoined node");
    }

    [Test]
    public async Task With_sync_after_promotion_none_the_promoted_node_waits_for_no_standby_although_one_follows_it()
    {
        await using var cluster = await StartAsync(replicas: 2, ReplicationMode.Quorum, SyncAfterPromotion.None);
        var (oldPrimary, replica1, replica2) = (cluster.Primary, cluster["replica1"], cluster["replica2"]);
        await ExecuteAsync(oldPrimary, "CREATE TABLE t (id int PRIMARY KEY)");

        await oldPrimary.KillAsync();
        await replica1.PromoteAsync();

        Assert.That(await SynchronousStandbyNamesAsync(replica1), Is.Empty);
        await EventuallyAsync(
            async () => (await replica1.GetStatusAsync()).Replication.Any(r => r.ApplicationName == "replica2" && r.State == "streaming" && r.SyncState == "async"),
            "replica2 streams from the new primary as an async standby");
        await replica2.StopAsync();
        await ExecuteAsync(replica1, "INSERT INTO t VALUES (1)").WaitAsync(CommitDeadline);
    }

    private static Task<LocalCluster> StartAsync(int replicas, ReplicationMode mode, SyncAfterPromotion afterPromotion) =>
        LocalCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(replicas).WithReplicationMode(mode).WithQuorum(1).WithSyncAfterPromotion(afterPromotion).WithPgBinDirectory(PgBin).Build(),
            new LocalClusterOptions { ReadyTimeout = TimeSpan.FromSeconds(30) });

    private static Task<string> SynchronousStandbyNamesAsync(LocalNode node) =>
        ScalarAsync<string>(node, "SHOW synchronous_standby_names", DatabaseRole.Superuser);
}
