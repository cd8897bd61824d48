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

    [Test]
    public void Writes_that_came_back_ok_only_when_the_client_cancelled_them_at_the_stop_are_unavailability_not_a_recovery()
    {
        // The promoted node waits for a synchronous standby that never comes: every write hangs until the stop.
        var script = new HistoryScript()
            .Write("a", 0, 10)
            .Event(EventKind.Kill, "primary", 20, 20)
            .Event(EventKind.Promote, "replica1", 30, 40)
            .WriteCancelledAtStop("hung1", 50, 1000, node: "replica1")
            .WriteCancelledAtStop("hung2", 60, 1000, node: "replica1", client: "w2");

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Figures.ContainsKey("rtoMs"), Is.False, "an ok brought back by the cancel at the stop is no recovery");
        Assert.That((result.Counts["hungUntilStop"], result.Counts["hungOkWithSyncWarning"]), Is.EqualTo((2L, 2L)));
        Assert.That(result.Figures["longestGapMs"], Is.EqualTo(990), "the span without an acknowledged write runs to the stop");
        Assert.That(result.Figures["firstHungInvokeMicros"], Is.EqualTo(50_000));
        Assert.That(result.Evidence.Where(e => e.Details.GetValueOrDefault("cancelledAtStop") == "true").Select(e => e.Id), Is.EqualTo(new[] { "hung1", "hung2" }));
        Assert.That(result.Summary, Does.Contain("2 writes never completed before the workload stopped"));
    }

    [Test]
    public void A_write_hung_until_the_stop_makes_availability_invalid_even_when_others_were_acknowledged_after_the_fault()
    {
        var script = new HistoryScript()
            .Write("a", 0, 10)
            .Event(EventKind.Kill, "primary", 20, 20)
            .Event(EventKind.Promote, "replica1", 30, 40)
            .Write("b", 50, 55, node: "replica1")
            .WriteCancelledAtStop("hung", 60, 1000, OperationOutcome.Indeterminate, node: "replica1")
            .Write("never", 70, null, OperationOutcome.Indeterminate, node: "replica1");

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Figures["rtoMs"], Is.EqualTo(35));
        Assert.That(result.Counts["hungUntilStop"], Is.EqualTo(1), "the one cancelled at the stop; one that never completed is a lost client, not counted");
    }

    [Test]
    public void Writes_that_all_completed_before_the_stop_count_no_hung_write()
    {
        var script = new HistoryScript().Write("a", 0, 1).Write("b", 5, 30);

        var result = Check(script);

        Assert.That((result.Verdict, result.Counts["hungUntilStop"]), Is.EqualTo((Verdict.Valid, 0L)));
    }
}
