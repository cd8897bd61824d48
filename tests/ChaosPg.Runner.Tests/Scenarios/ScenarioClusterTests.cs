using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Scenarios;

public class ScenarioClusterTests
{
    [TestCase(ReplicationMode.Async, null, "")]
    [TestCase(ReplicationMode.Sync, null, "FIRST 1 (replica1, replica2, replica3, primary)")]
    [TestCase(ReplicationMode.Sync, 2, "FIRST 2 (replica1, replica2, replica3, primary)")]
    [TestCase(ReplicationMode.Quorum, 1, "ANY 1 (replica1, replica2, replica3, primary)")]
    public void Replication_mode_and_quorum_become_the_specs_synchronous_standby_names(ReplicationMode mode, int? quorum, string expected)
    {
        var cluster = new ScenarioCluster(3, mode, quorum, "on", ImmutableSortedDictionary<string, string>.Empty);

        Assert.That(cluster.ToClusterSpec(null).SynchronousStandbyNames, Is.EqualTo(expected));
    }

    [TestCase("remote_apply", SynchronousCommit.RemoteApply)]
    [TestCase("remote_write", SynchronousCommit.RemoteWrite)]
    [TestCase("off", SynchronousCommit.Off)]
    public void Synchronous_commit_and_settings_carry_over_to_the_spec(string level, SynchronousCommit expected)
    {
        var cluster = new ScenarioCluster(2, ReplicationMode.Async, null, level, ImmutableSortedDictionary<string, string>.Empty.Add("wal_sender_timeout", "2s"));

        var spec = cluster.ToClusterSpec("/opt/pg/bin");

        Assert.That(spec.SynchronousCommit, Is.EqualTo(expected));
        Assert.That(spec.ExtraSettings["wal_sender_timeout"], Is.EqualTo("2s"));
        Assert.That(spec.PgBinDirectory, Is.EqualTo("/opt/pg/bin"));
        Assert.That(spec.Replicas, Is.EqualTo(2));
    }
}
