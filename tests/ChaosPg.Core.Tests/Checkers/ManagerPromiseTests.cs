using System.Collections.Immutable;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class ManagerPromiseTests
{
    private static CheckerResult Check(HistoryScript script, params string[] onFinalPrimary) =>
        new DurabilityChecker().Check(new CheckContext(script.Build(), HistoryScript.State("replica1", HistoryScript.Node("replica1", onFinalPrimary))));

    private static ImmutableDictionary<string, string> Promotion(string mode, long? lagBytes, string maxLag = "1048576")
    {
        var parameters = ImmutableDictionary<string, string>.Empty
            .Add("by", "patroni")
            .Add("change", "promoted")
            .Add("synchronous-mode", mode)
            .Add("maximum-lag-on-failover", maxLag);
        return lagBytes is { } lag ? parameters.Add("lag-bytes", lag.ToString(System.Globalization.CultureInfo.InvariantCulture)).Add("most-advanced", "true") : parameters;
    }

    [Test]
    public void Strict_synchronous_mode_promises_that_no_acknowledged_write_is_lost()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("b", 3, 4)
            .Event(EventKind.Promote, "replica1", 10, 10, parameters: Promotion("strict", 0));

        var result = Check(script, "a");

        Assert.That(result.Counts["managerPromiseBroken"], Is.EqualTo(1));
        var promise = result.Evidence.Single(e => e.Id == "manager-promise");
        Assert.That((promise.Details["held"], promise.Details["lostAcknowledgedBefore"]), Is.EqualTo(("false", "1")));
        Assert.That(result.Summary, Does.Contain("patroni promoted replica1 at 0.010s 0 bytes behind, the most advanced replica: the promise of synchronous-mode strict (no acknowledged write lost) broken"));
    }

    [Test]
    public void An_asynchronous_loss_within_maximum_lag_on_failover_keeps_the_promise_and_says_the_lag_is_an_estimate()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("b", 3, 4)
            .Event(EventKind.Promote, "replica1", 10, 10, parameters: Promotion("off", 4096));

        var result = Check(script, "a");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid), "the loss is still a loss");
        Assert.That((result.Counts["managerPromotions"], result.Counts["managerPromiseBroken"]), Is.EqualTo((1L, 0L)));
        Assert.That(result.Summary, Does.Contain("held (1 acknowledged writes lost, within an estimated 4096 bytes of WAL (the promoted node's replay lag in the last sample before the change; WAL written after that sample is not counted))"));
    }

    [Test]
    public void A_candidate_further_behind_than_maximum_lag_on_failover_breaks_the_asynchronous_promise()
    {
        var script = new HistoryScript().Write("a", 1, 2).Event(EventKind.Promote, "replica1", 10, 10, parameters: Promotion("off", 5000, maxLag: "1000"));

        var result = Check(script, "a");

        Assert.That(result.Counts["managerPromiseBroken"], Is.EqualTo(1));
        Assert.That(result.Summary, Does.Contain("an estimated 5000 bytes behind, more than the bound"));
    }

    [Test]
    public void Writes_a_deposed_leader_acknowledged_after_the_promotion_are_beyond_any_promise()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Event(EventKind.Promote, "replica1", 10, 10, parameters: Promotion("off", 0))
            .Write("after-on-old-leader", 11, 12)
            .Write("on-new-leader", 13, 14, node: "replica1");

        var result = Check(script, "a", "on-new-leader");

        Assert.That(result.Counts["managerPromiseBroken"], Is.EqualTo(1));
        Assert.That(result.Evidence.Single(e => e.Id == "manager-promise").Details["lostBeyondThePromise"], Is.EqualTo("1"));
    }

    [Test]
    public void Writes_the_promoted_node_acknowledged_and_a_returning_leader_discarded_break_the_promise_even_before_the_event()
    {
        // The promotion is observed a poll late: replica1 acknowledged "early" before its event, then the old
        // leader took the key back and replica1's writes were gone.
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("early", 5, 6, node: "replica1")
            .Event(EventKind.Promote, "replica1", 10, 10, parameters: Promotion("off", 0))
            .Write("late", 11, 12, node: "replica1")
            .Write("back-on-primary", 13, 14);

        var result = new DurabilityChecker().Check(new CheckContext(script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary", "a", "back-on-primary"))));

        var promise = result.Evidence.Single(e => e.Id == "manager-promise");
        Assert.That((promise.Details["held"], promise.Details["lostAcknowledgedBefore"], promise.Details["lostBeyondThePromise"]), Is.EqualTo(("false", "0", "2")));
    }

    [Test]
    public void The_harness_own_promotions_are_not_judged_against_a_manager_promise()
    {
        var script = new HistoryScript().Write("a", 1, 2).Event(EventKind.Promote, "replica1", 10, 12);

        var result = Check(script, "a");

        Assert.That(result.Counts.ContainsKey("managerPromotions"), Is.False);
        Assert.That(result.Evidence.Any(e => e.Id == "manager-promise"), Is.False);
    }
}
