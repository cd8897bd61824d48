using System.Collections.Immutable;
using ChaosPg.Runner.Scenarios;
using NUnit.Framework;

namespace ChaosPg.Runner.Tests.Scenarios;

public class ScenarioClusterTests
{
    [TestCase(ReplicationMode.Async, null, "")]
    [TestCase(ReplicationMode.Sync, null, "FIRST 1 (replica1, replica2, replica3)")]
    [TestCase(ReplicationMode.Sync, 2, "FIRST 2 (replica1, replica2, replica3)")]
    [TestCase(ReplicationMode.Quorum, 1, "ANY 1 (replica1, replica2, replica3)")]
    public void Replication_mode_and_quorum_become_synchronous_standby_names(ReplicationMode mode, int? quorum, string expected)
    {
        var cluster = new ScenarioCluster(3, mode, quorum, "on", ImmutableSortedDictionary<string, string>.Empty);

        Assert.That(cluster.SynchronousStandbyNames, Is.EqualTo(expected));
    }
}
