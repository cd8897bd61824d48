namespace ChaosPg.Cluster.Tests;

public class ClusterSpecBuilderTests
{
    [TestCase(0)]
    [TestCase(6)]
    [TestCase(99)]
    public void Replica_counts_outside_1_to_5_are_rejected_with_the_allowed_range(int replicas)
    {
        var error = Assert.Throws<ClusterConfigurationException>(() => ClusterSpec.CreateBuilder().WithReplicas(replicas).Build());
        Assert.That(error!.Message, Does.Contain("between 1 and 5").And.Contain(replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase(1)]
    [TestCase(5)]
    public void Replica_counts_1_to_5_build_with_named_nodes(int replicas)
    {
        var spec = ClusterSpec.CreateBuilder().WithReplicas(replicas).Build();
        Assert.That(spec.NodeNames, Has.Length.EqualTo(replicas + 1));
        Assert.That(spec.NodeNames[0], Is.EqualTo("primary"));
        Assert.That(spec.NodeNames[^1], Is.EqualTo($"replica{replicas}"));
    }

    [TestCase(ReplicationMode.Sync, 2, new[] { "primary", "replica3" }, "FIRST 2 (replica3, primary)")]
    [TestCase(ReplicationMode.Sync, 2, new[] { "replica3" }, "FIRST 1 (replica3)")]
    [TestCase(ReplicationMode.Quorum, 1, new[] { "replica3", "replica2" }, "ANY 1 (replica2, replica3)")]
    [TestCase(ReplicationMode.Quorum, 1, new string[0], "")]
    [TestCase(ReplicationMode.Async, 1, new[] { "replica2" }, "")]
    public void A_promoted_node_waits_for_its_surviving_standbys_in_list_order_with_k_capped_at_their_number(ReplicationMode mode, int k, string[] standbys, string expected)
    {
        var spec = ClusterSpec.CreateBuilder().WithReplicas(3).WithReplicationMode(mode).WithQuorum(k).Build();
        Assert.That(spec.SynchronousStandbyNamesFor(standbys), Is.EqualTo(expected));
    }

    [Test]
    public void A_promoted_node_waits_for_nothing_when_the_spec_says_none()
    {
        var spec = ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Sync).WithSyncAfterPromotion(SyncAfterPromotion.None).Build();
        Assert.That(spec.SynchronousStandbyNamesFor(["replica2", "primary"]), Is.Empty);
    }

    [Test]
    public void Sync_mode_names_every_standby_first_one_wins()
    {
        var spec = ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Sync).Build();
        Assert.That(spec.SynchronousStandbyNames, Is.EqualTo("FIRST 1 (replica1, replica2, primary)"));
    }

    [Test]
    public void Quorum_mode_uses_the_configured_k()
    {
        var spec = ClusterSpec.CreateBuilder().WithReplicas(3).WithReplicationMode(ReplicationMode.Quorum).WithQuorum(2).Build();
        Assert.That(spec.SynchronousStandbyNames, Is.EqualTo("ANY 2 (replica1, replica2, replica3, primary)"));
    }

    [Test]
    public void Quorum_defaults_to_one()
    {
        var spec = ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Quorum).Build();
        Assert.That(spec.Quorum, Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(3)]
    public void Quorum_larger_than_the_replica_count_or_zero_is_rejected(int k)
    {
        var builder = ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Quorum).WithQuorum(k);
        Assert.That(() => builder.Build(), Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains("quorum"));
    }

    [Test]
    public void Async_mode_has_no_synchronous_standby()
    {
        Assert.That(ClusterSpec.CreateBuilder().Build().SynchronousStandbyNames, Is.Empty);
    }

    [TestCase("fsync", "off")]
    [TestCase("FULL_PAGE_WRITES", "off")]
    [TestCase("port", "5432")]
    [TestCase("listen_addresses", "*")]
    public void Settings_the_harness_owns_cannot_be_overridden(string name, string value)
    {
        var builder = ClusterSpec.CreateBuilder().WithSetting(name, value);
        Assert.That(() => builder.Build(), Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains(name));
    }

    [Test]
    public void Extra_settings_are_kept()
    {
        var spec = ClusterSpec.CreateBuilder().WithSetting("work_mem", "8MB").Build();
        Assert.That(spec.ExtraSettings["work_mem"], Is.EqualTo("8MB"));
    }

    [Test]
    public void Builders_are_immutable()
    {
        var first = ClusterSpec.CreateBuilder();
        _ = first.WithReplicas(3);
        Assert.That(first.Build().Replicas, Is.EqualTo(1));
    }
}
