using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class SplitBrainCheckerTests
{
    private static CheckerResult Check(HistoryScript script) =>
        new SplitBrainChecker().Check(new CheckContext(script.Build(), HistoryScript.State("replica1", HistoryScript.Node("replica1"))));

    [Test]
    public void Writes_only_on_the_promoted_node_after_promotion_are_valid()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Event(EventKind.Kill, "primary", 3, 3)
            .Event(EventKind.Promote, "replica1", 4, 5)
            .Write("b", 6, 7, node: "replica1");

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Valid));
    }

    [Test]
    public void The_old_primary_accepting_writes_after_a_promotion_is_split_brain()
    {
        var script = new HistoryScript()
            .Event(EventKind.Partition, "replica1->primary", 1, null)
            .Event(EventKind.Promote, "replica1", 4, 5)
            .Write("b", 6, 7, node: "replica1")
            .Write("old1", 8, 9)
            .Write("old2", 10, 12)
            .Event(EventKind.Kill, "primary", 20, 20);

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Counts["splitBrainWrites"], Is.EqualTo(2));
        var overlap = result.Evidence[0];
        Assert.That(overlap.Id, Is.EqualTo("overlap:primary"));
        Assert.That(overlap.Details["overlapStartMicros"], Is.EqualTo("5000"));
        Assert.That(overlap.Details["overlapEndMicros"], Is.EqualTo("12000"));
        Assert.That(overlap.Details["fencedBy"], Is.EqualTo("kill"));
        Assert.That(result.Figures["overlapMs"], Is.EqualTo(7));
        Assert.That(result.Evidence.Skip(1).Select(e => e.Id), Is.EqualTo(new[] { "old1", "old2" }));
    }

    [Test]
    public void A_managers_promotion_counts_from_the_first_write_the_new_primary_acknowledged_not_from_when_it_was_observed()
    {
        var observed = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("by", "patroni");
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Event(EventKind.Kill, "primary", 3, 3)
            .Write("early", 5, 6, node: "replica1")
            .Event(EventKind.Promote, "replica1", 8, 8, parameters: observed);

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Valid), "replica1 acknowledged a write: it was primary by then");
    }

    [Test]
    public void The_old_primary_writing_after_the_new_one_acknowledged_is_split_brain_even_before_the_promotion_is_observed()
    {
        var observed = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("by", "patroni");
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("early", 5, 6, node: "replica1")
            .Write("old", 7, 8)
            .Event(EventKind.Promote, "replica1", 9, 9, parameters: observed);

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Evidence.Skip(1).Select(e => e.Id), Is.EqualTo(new[] { "old" }));
    }

    [Test]
    public void A_harness_promotion_is_not_moved_so_a_replica_writing_before_it_is_still_split_brain()
    {
        var script = new HistoryScript()
            .Write("a", 1, 2)
            .Write("early", 5, 6, node: "replica1")
            .Event(EventKind.Promote, "replica1", 8, 8);

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Invalid));
    }

    [Test]
    public void A_write_invoked_before_the_promotion_is_only_counted_as_ambiguous()
    {
        var script = new HistoryScript()
            .Write("slow", 1, 9)
            .Event(EventKind.Promote, "replica1", 4, 5);

        var result = Check(script);

        Assert.That((result.Verdict, result.Counts["ackedAcrossPromotion"]), Is.EqualTo((Verdict.Valid, 1L)));
    }

    [Test]
    public void A_replica_accepting_a_write_before_any_promotion_is_split_brain()
    {
        var script = new HistoryScript().Write("a", 1, 2).Write("rogue", 3, 4, node: "replica2");

        var result = Check(script);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Evidence[0].Details["promoted"], Is.EqualTo("primary"));
    }

    [Test]
    public void A_failed_promotion_does_not_change_the_primary()
    {
        var script = new HistoryScript()
            .Event(EventKind.Promote, "replica1", 4, 5, ok: false)
            .Write("a", 6, 7);

        Assert.That(Check(script).Verdict, Is.EqualTo(Verdict.Valid));
    }
}
