using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class ConvergenceCheckerTests
{
    private static readonly HistoryScript Script = new HistoryScript()
        .Write("a", 1, 2)
        .Write("b", 3, 4)
        .Event(EventKind.Heal, "cluster", 100, 110)
        .Event(EventKind.WaitConverged, "cluster", 111, 400)
        .Event(EventKind.Converged, "cluster", 350, 350);

    private static CheckerResult Check(params NodeSnapshot[] nodes) =>
        new ConvergenceChecker().Check(new CheckContext(Script.Build(), HistoryScript.State("primary", nodes)));

    [Test]
    public void Replicas_with_the_primary_rows_converge_and_the_time_since_heal_is_measured()
    {
        var result = Check(HistoryScript.Node("primary", "a", "b"), HistoryScript.Node("replica1", "b", "a"));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid));
        Assert.That(result.Figures["convergenceMs"], Is.EqualTo(240));
    }

    [Test]
    public void A_replica_missing_a_row_diverges_and_names_it()
    {
        var result = Check(HistoryScript.Node("primary", "a", "b"), HistoryScript.Node("replica1", "a"));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Evidence.Single().Details["missingIds"], Is.EqualTo("b"));
    }

    [Test]
    public void A_replica_with_an_extra_row_diverges()
    {
        var result = Check(HistoryScript.Node("primary", "a"), HistoryScript.Node("replica1", "a", "b"));

        Assert.That(result.Evidence.Single().Details["extraIds"], Is.EqualTo("b"));
    }

    [Test]
    public void A_replica_whose_replay_lsn_lags_the_primary_diverges()
    {
        var behind = HistoryScript.Node("replica1", "a", "b") with { ReplayLsn = new Lsn(99) };

        var result = Check(HistoryScript.Node("primary", "a", "b"), behind);

        Assert.That(result.Evidence.Single().What, Does.Contain("replay LSN"));
    }

    [Test]
    public void A_different_digest_diverges_even_with_the_same_ids()
    {
        var result = Check(
            HistoryScript.Node("primary", "a", "b") with { Digest = "x" },
            HistoryScript.Node("replica1", "a", "b") with { Digest = "y" });

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
    }

    [Test]
    public void An_unreachable_replica_has_not_converged()
    {
        var result = Check(HistoryScript.Node("primary", "a", "b"), NodeSnapshot.Unreachable("replica2", "timeout"));

        Assert.That((result.Verdict, result.Evidence.Single().Details["error"]), Is.EqualTo((Verdict.Invalid, "timeout")));
    }

    [Test]
    public void A_node_the_history_mentions_without_a_snapshot_has_not_converged()
    {
        var script = new HistoryScript().Write("a", 1, 2).Read("r1", "replica2", 3, 4, 1);
        var context = new CheckContext(script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary", "a")));

        var result = new ConvergenceChecker().Check(context);

        Assert.That((result.Verdict, result.Evidence.Single().Id), Is.EqualTo((Verdict.Invalid, "replica2")));
    }

    [Test]
    public void A_second_node_still_primary_has_not_converged() =>
        Assert.That(
            Check(HistoryScript.Node("primary", "a", "b"), HistoryScript.Node("replica1", "a", "b") with { Role = NodeRole.Primary }).Verdict,
            Is.EqualTo(Verdict.Invalid));

    [Test]
    public void A_node_the_schedule_killed_and_never_restarted_is_left_down_not_diverged()
    {
        var history = new HistoryScript().Write("a", 1, 2).Event(EventKind.Kill, "primary", 5, null).Event(EventKind.Promote, "replica1", 6, 7).Build();

        var result = new ConvergenceChecker().Check(new CheckContext(
            history,
            HistoryScript.State(
                "replica1",
                HistoryScript.Node("replica1", "a") with { Role = NodeRole.Primary },
                HistoryScript.Node("replica2", "a"),
                NodeSnapshot.Unreachable("primary", "connection refused"))));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid));
        Assert.That(result.Counts["leftDown"], Is.EqualTo(1));
        Assert.That(result.Summary, Does.Contain("left down by the schedule"));
    }

    [Test]
    public void With_every_other_node_left_down_there_is_no_replica_to_compare_and_convergence_is_unknown_not_valid()
    {
        var history = new HistoryScript().Write("a", 1, 2).Event(EventKind.Kill, "primary", 5, null).Event(EventKind.Promote, "replica1", 6, 7).Build();

        var result = new ConvergenceChecker().Check(new CheckContext(
            history,
            HistoryScript.State("replica1", HistoryScript.Node("replica1", "a"), NodeSnapshot.Unreachable("primary", "connection refused"))));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That((result.Counts["replicas"], result.Counts["leftDown"]), Is.EqualTo((0L, 1L)));
        Assert.That(result.Summary, Does.StartWith("no replica left to compare with final primary replica1"));
    }

    [Test]
    public void A_killed_node_that_was_restarted_must_converge_again()
    {
        var history = new HistoryScript().Write("a", 1, 2).Event(EventKind.Kill, "replica1", 5, null).Event(EventKind.Restart, "replica1", 8, 9).Build();

        var result = new ConvergenceChecker().Check(new CheckContext(
            history,
            HistoryScript.State("primary", HistoryScript.Node("primary", "a"), NodeSnapshot.Unreachable("replica1", "connection refused"))));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
    }
}
