using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class AvailabilityCheckerTests
{
    private static CheckerResult Check(HistoryScript script) =>
        new AvailabilityChecker().Check(new CheckContext(script.Build(), HistoryScript.State("replica1", HistoryScript.Node("replica1"))));

    [Test]
    public void Rto_runs_from_the_primary_kill_to_the_first_write_acknowledged_by_the_promoted_node()
    {
        var script = new HistoryScript()
            .Write("a", 0, 10)
            .Event(EventKind.Latency, "replica1->primary", 5, 8)
            .Event(EventKind.Kill, "primary", 20, 20)
            .Write("lost-conn", 15, 25, OperationOutcome.Indeterminate)
            .Write("refused", 30, 31, OperationOutcome.Fail)
            .Event(EventKind.Promote, "replica1", 100, 150)
            .Write("b", 160, 170, node: "replica1")
            .Write("c", 175, 180, node: "replica1");

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid));
        Assert.That(result.Figures["rtoMs"], Is.EqualTo(150));
        Assert.That(result.Figures["longestGapMs"], Is.EqualTo(160));
        Assert.That(result.Figures["longestGapStartMicros"], Is.EqualTo(10_000));
        Assert.That(result.Evidence.Last().Id, Is.EqualTo("b"));
    }

    [Test]
    public void A_fault_on_a_client_link_into_the_primary_counts_and_the_same_node_may_recover()
    {
        var script = new HistoryScript()
            .Write("a", 0, 1)
            .Event(EventKind.Partition, "client->primary", 10, 50)
            .Write("b", 55, 60);

        Assert.That(Check(script).Figures["rtoMs"], Is.EqualTo(50));
    }

    [Test]
    public void No_write_after_the_primary_fault_leaves_the_rto_unknown()
    {
        var script = new HistoryScript().Write("a", 0, 1).Event(EventKind.Kill, "primary", 10, 10);

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(result.Figures.ContainsKey("rtoMs"), Is.False);
    }

    [Test]
    public void Without_a_primary_fault_only_the_longest_gap_is_measured()
    {
        var script = new HistoryScript().Write("a", 0, 1).Write("b", 5, 30).Event(EventKind.Kill, "replica2", 2, 3);

        var result = Check(script);

        Assert.That((result.Verdict, result.Figures["longestGapMs"]), Is.EqualTo((Verdict.Valid, 29.0)));
    }
}
