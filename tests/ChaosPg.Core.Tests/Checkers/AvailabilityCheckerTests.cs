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
        Assert.That(result.Evidence.Select(e => e.Id), Does.Contain("b"));
        var window = result.Evidence.Single(e => e.Id == AvailabilityChecker.RtoWindowEvidence);
        Assert.That((window.Details["startMicros"], window.Details["endMicros"]), Is.EqualTo(("20000", "170000")));
        Assert.That(window.Details["faultsBefore"], Is.EqualTo("latency replica1->primary at 0.005s; kill primary at 0.020s"));
        Assert.That(window.Details["failover"], Does.StartWith("replica1 promoted"));
    }

    [Test]
    public void A_failover_no_primary_fault_explains_opens_the_rto_window_at_the_first_write_that_failed_before_it()
    {
        // The leader cut from its DCS: writes go on until it demotes itself, then fail until the manager's promotion.
        var script = new HistoryScript()
            .Write("a", 0, 10)
            .Event(EventKind.Partition, "primary->dcs", 20, null)
            .Write("still-ok", 30, 40)
            .Write("refused", 50, 55, OperationOutcome.Fail)
            .Write("refused-again", 60, 61, OperationOutcome.Fail, client: "w2")
            .Event(EventKind.Promote, "replica1", 90, 90)
            .Write("b", 95, 100, node: "replica1");

        var result = Check(script);

        Assert.That(result.Figures["rtoMs"], Is.EqualTo(50), "from the invoke of 'refused' (50 ms) to the ack of 'b' (100 ms)");
        Assert.That(result.Figures["rtoWindowStartMicros"], Is.EqualTo(50_000));
        Assert.That(result.Figures.ContainsKey("faultAtMicros"), Is.False, "no fault on the primary itself opened it");
        Assert.That(result.Summary, Does.Contain("the first write that failed before replica1 was promoted"));
        Assert.That(result.Evidence.Single(e => e.Id == AvailabilityChecker.RtoWindowEvidence).Details["faultsBefore"], Is.EqualTo("partition primary->dcs at 0.020s"));
    }

    [Test]
    public void A_fault_the_same_node_recovers_from_says_there_was_no_failover()
    {
        var script = new HistoryScript()
            .Write("a", 0, 1)
            .Event(EventKind.Kill, "primary", 10, 10)
            .Write("b", 55, 60);

        var result = Check(script);

        Assert.That(result.Summary, Does.Contain("no failover: the same node recovered"));
        Assert.That(result.Evidence.Single(e => e.Id == AvailabilityChecker.RtoWindowEvidence).Details["failover"], Is.EqualTo("none: the same node recovered"));
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
