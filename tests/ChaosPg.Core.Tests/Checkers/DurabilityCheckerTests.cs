using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class DurabilityCheckerTests
{
    private static CheckerResult Check(HistoryScript script, params string[] onFinalPrimary) =>
        new DurabilityChecker().Check(new CheckContext(script.Build(), HistoryScript.State("replica1", HistoryScript.Node("replica1", onFinalPrimary))));

    [Test]
    public void Promotion_keeps_every_acknowledged_write()
    {
        var result = Check(new HistoryScript().Write("a", 1, 2).Write("b", 3, 4), "a", "b");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid));
        Assert.That(result.Counts["acknowledged"], Is.EqualTo(2));
        Assert.That(result.Figures["rpoWrites"], Is.Zero);
    }

    [Test]
    public void A_lost_write_is_named_with_its_ack_time_node_and_fault_window()
    {
        var script = new HistoryScript()
            .Event(EventKind.Latency, "replica1->primary", 0, null)
            .Write("a", 1, 2)
            .Event(EventKind.Kill, "primary", 5, 6)
            .Write("b", 3, 4)
            .Event(EventKind.Promote, "replica1", 10, 12);

        var result = Check(script, "a");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        var lost = result.Evidence.Single();
        Assert.That((lost.Id, lost.Node, lost.AtMicros, lost.InvokeMicros), Is.EqualTo(("b", "primary", (long?)4000, (long?)3000)));
        Assert.That(lost.LatestEvent!.Kind, Is.EqualTo(EventKind.Latency));
        Assert.That(lost.ActiveEvents.Select(e => e.Kind), Is.EqualTo(new[] { EventKind.Latency }));
        Assert.That(lost.Details["cause"], Is.EqualTo("acknowledged-plainly"));
        Assert.That(result.Figures["lossWindowStartMicros"], Is.EqualTo(4000));
    }

    [Test]
    public void Lost_writes_are_split_by_the_synchronous_replication_warning()
    {
        var script = new HistoryScript()
            .Write("warned", 1, 2, notices: HistoryScript.SyncNotice())
            .Write("plain", 3, 5)
            .Write("kept", 6, 7);

        var result = Check(script, "kept");

        Assert.That(result.Counts["lost"], Is.EqualTo(2));
        Assert.That(result.Counts["lostWithSyncWarning"], Is.EqualTo(1));
        Assert.That(result.Counts["lostPlain"], Is.EqualTo(1));
        Assert.That(result.Figures["lossWindowMs"], Is.EqualTo(3));
        Assert.That(result.Evidence.Select(e => e.Id), Is.EqualTo(new[] { "warned", "plain" }));
        Assert.That(result.Evidence[0].Notices.Single().Message, Does.StartWith("canceling wait for synchronous replication"));
    }

    [Test]
    public void Indeterminate_and_failed_writes_may_be_absent()
    {
        var script = new HistoryScript()
            .Write("unknown", 1, 2, OperationOutcome.Indeterminate)
            .Write("open", 1, null)
            .Write("failed", 3, 4, OperationOutcome.Fail);

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Valid));
    }

    [Test]
    public void An_unreachable_final_primary_gives_unknown()
    {
        var context = new CheckContext(
            new HistoryScript().Write("a", 1, 2).Build(),
            HistoryScript.State("replica1", Core.Snapshots.NodeSnapshot.Unreachable("replica1", "connection refused")));

        Assert.That(new DurabilityChecker().Check(context).Verdict, Is.EqualTo(Verdict.Unknown));
    }
}
