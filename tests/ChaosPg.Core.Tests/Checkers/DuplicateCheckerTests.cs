using ChaosPg.Core.Checkers;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class DuplicateCheckerTests
{
    private static CheckerResult Check(params string[] rows) =>
        new DuplicateChecker().Check(new CheckContext(
            new HistoryScript().Write("a", 1, 2).Write("b", 3, 4).Build(),
            HistoryScript.State("primary", HistoryScript.Node("primary", rows))));

    [Test]
    public void Each_row_once_is_valid() => Assert.That(Check("a", "b").Verdict, Is.EqualTo(Verdict.Valid));

    [Test]
    public void A_write_stored_twice_is_a_duplicate()
    {
        var result = Check("a", "b", "b", "b");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Counts["extraRows"], Is.EqualTo(2));
        Assert.That((result.Evidence.Single().Id, result.Evidence.Single().Details["rows"]), Is.EqualTo(("b", "3")));
    }

    [Test]
    public void An_unknown_row_stored_twice_is_a_duplicate_too() =>
        Assert.That(Check("a", "x", "x").Evidence.Single().Id, Is.EqualTo("x"));
}
