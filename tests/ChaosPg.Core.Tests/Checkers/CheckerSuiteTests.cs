using ChaosPg.Core.Checkers;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class CheckerSuiteTests
{
    [TestCase(Verdict.Valid, Verdict.Valid, Verdict.Valid)]
    [TestCase(Verdict.Valid, Verdict.Unknown, Verdict.Unknown)]
    [TestCase(Verdict.Unknown, Verdict.Invalid, Verdict.Invalid)]
    [TestCase(Verdict.Invalid, Verdict.Valid, Verdict.Invalid)]
    public void Invalid_beats_unknown_beats_valid(Verdict left, Verdict right, Verdict merged) =>
        Assert.That(VerdictMerge.Merge(left, right), Is.EqualTo(merged));

    [Test]
    public void A_checker_that_throws_gives_unknown_with_its_error_and_the_others_still_run()
    {
        var suite = new CheckerSuite([new ThrowingChecker(), new DuplicateChecker()]);

        var result = suite.Run(new HistoryScript().Write("a", 1, 2).Build(), HistoryScript.State("primary", HistoryScript.Node("primary", "a")));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(result.Results[0].Error, Does.Contain("boom"));
        Assert.That(result.Find("duplicates")!.Verdict, Is.EqualTo(Verdict.Valid));
    }

    /// <summary>A test double standing in for a buggy checker.</summary>
    private sealed class ThrowingChecker : IChecker
    {
        public string Name => "throws";

        public CheckerResult Check(CheckContext context) => throw new InvalidOperationException("boom");
    }
}
