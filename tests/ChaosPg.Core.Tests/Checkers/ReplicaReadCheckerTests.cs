using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class ReplicaReadCheckerTests
{
    private static CheckerResult Check(HistoryScript script) =>
        new ReplicaReadChecker().Check(new CheckContext(script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary"))));

    [Test]
    public void Reads_that_never_go_backwards_are_valid()
    {
        var script = new HistoryScript()
            .Read("r1", "replica1", 0, 1, null)
            .Write("a", 1, 2)
            .Read("r1", "replica1", 3, 4, 1)
            .Read("r1", "replica1", 5, 6, 1);

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Valid));
    }

    [Test]
    public void A_read_lower_than_an_earlier_read_of_the_same_session_is_non_monotonic()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("b", 3, 4)
            .Read("r1", "replica1", 5, 6, 2)
            .Read("r1", "replica1", 7, 8, 1);

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        var item = result.Evidence.Single();
        Assert.That((item.Details["seenSeq"], item.Details["earlierSeq"], item.Node), Is.EqualTo(("1", "2", "replica1")));
    }

    [Test]
    public void Different_sessions_are_not_compared()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("b", 3, 4)
            .Read("r1", "replica1", 5, 6, 2)
            .Read("r2", "replica1", 7, 8, 1)
            .Read("r1", "replica2", 9, 10, 0);

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Valid));
    }

    [Test]
    public void A_rejoin_of_the_node_starts_a_new_session()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("b", 3, 4)
            .Read("r1", "primary", 5, 6, 2)
            .Event(EventKind.Rejoin, "primary", 7, 8)
            .Read("r1", "primary", 9, 10, 1);

        var result = Check(script);

        Assert.That((result.Verdict, result.Counts["sessionResets"]), Is.EqualTo((Verdict.Valid, 1L)));
    }

    [Test]
    public void Staleness_counts_the_acknowledged_writes_a_replica_read_could_not_see()
    {
        var script = new HistoryScript()
            .Write("a", 0, 10)
            .Write("b", 1, 20)
            .Write("c", 2, 30)
            .Read("r1", "replica1", 40, 41, 1)
            .Read("r1", "replica1", 50, 51, 3)
            .Read("r2", "primary", 60, 61, 1);

        var result = Check(script);

        Assert.That(result.Counts["replicaReads"], Is.EqualTo(2));
        Assert.That(result.Figures["staleWritesMax"], Is.EqualTo(2));
        Assert.That(result.Figures["staleMsMax"], Is.EqualTo(20), "read at 40 ms missed b, acknowledged at 20 ms");
        Assert.That(result.Figures["staleMsP50"], Is.Zero);
    }

    [Test]
    public void A_promoted_replica_is_no_longer_a_replica_for_staleness()
    {
        var script = new HistoryScript()
            .Write("a", 0, 10)
            .Event(EventKind.Promote, "replica1", 20, 30)
            .Read("r1", "replica1", 40, 41, null);

        Assert.That(Check(script).Counts["replicaReads"], Is.Zero);
    }
}
