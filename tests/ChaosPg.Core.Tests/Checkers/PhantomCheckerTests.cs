using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class PhantomCheckerTests
{
    private static readonly HistoryScript Script = new HistoryScript()
        .Write("ok", 1, 2)
        .Write("failed", 3, 4, OperationOutcome.Fail)
        .Write("maybe1", 5, 6, OperationOutcome.Indeterminate)
        .Write("maybe2", 5, null);

    private static CheckerResult Check(params string[] rows) =>
        new PhantomChecker().Check(new CheckContext(Script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary", rows))));

    [Test]
    public void Indeterminate_writes_present_or_absent_are_both_fine()
    {
        var result = Check("ok", "maybe1");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid));
        Assert.That(result.Counts["indeterminatePresent"], Is.EqualTo(1));
        Assert.That(result.Counts["indeterminateAbsent"], Is.EqualTo(1));
    }

    [Test]
    public void A_failed_write_that_is_present_is_a_phantom()
    {
        var result = Check("ok", "failed");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Counts["failedPresent"], Is.EqualTo(1));
        var item = result.Evidence.Single();
        Assert.That((item.Id, item.Details["presentOn"], item.Details["sqlState"]), Is.EqualTo(("failed", "primary", "08006")));
    }

    [Test]
    public void A_row_nobody_wrote_is_a_phantom()
    {
        var result = Check("ok", "ghost");

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Evidence.Single().Id, Is.EqualTo("ghost"));
        Assert.That(result.Counts["unknownRows"], Is.EqualTo(1));
    }

    [Test]
    public void Phantoms_on_a_replica_count_too()
    {
        var context = new CheckContext(
            Script.Build(),
            HistoryScript.State("primary", HistoryScript.Node("primary", "ok"), HistoryScript.Node("replica1", "ok", "failed")));

        var result = new PhantomChecker().Check(context);

        Assert.That(result.Evidence.Single().Details["presentOn"], Is.EqualTo("replica1"));
    }
}
