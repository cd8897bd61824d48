using System.Collections.Immutable;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Reports;

public class RunComparisonTests
{
    [Test]
    public void Replay_prints_both_runs_counts_side_by_side_under_a_header_that_says_what_the_seed_fixes()
    {
        var original = Results(okWrites: 812, lost: 0, rtoMs: 1234.5, Verdict.Valid);
        var replay = Results(okWrites: 797, lost: 3, rtoMs: 1301, Verdict.Invalid);

        var lines = RunComparison.Lines(42, original, replay);

        Assert.That(lines[0], Does.StartWith("seed 42: same schedule, same generated rows and ids; counts depend on timing"));
        Assert.That(Row(lines, "writes acknowledged"), Is.EqualTo(["812", "797"]));
        Assert.That(Row(lines, "acknowledged writes lost"), Is.EqualTo(["0", "3"]));
        Assert.That(Row(lines, "RTO (ms)"), Is.EqualTo(["1234.5", "1301"]));
        Assert.That(Row(lines, "verdict durability"), Is.EqualTo(["valid", "invalid"]));
        Assert.That(Row(lines, "outcome"), Is.EqualTo(["passed", "passed"]));
    }

    [Test]
    public void An_original_without_results_shows_dashes_beside_the_replay()
    {
        var lines = RunComparison.Lines(7, null, Results(okWrites: 10, lost: 0, rtoMs: 5, Verdict.Valid));

        Assert.That(Row(lines, "writes acknowledged"), Is.EqualTo(["-", "10"]));
        Assert.That(Row(lines, "outcome"), Is.EqualTo(["-", "passed"]));
    }

    private static string[] Row(IEnumerable<string> lines, string label) =>
        lines.Single(l => l.StartsWith(label + " ", StringComparison.Ordinal))[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static RunResults Results(long okWrites, long lost, double rtoMs, Verdict durability)
    {
        var availability = new CheckerResult(
            "availability",
            Verdict.Valid,
            "measured",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("okWrites", okWrites), KeyValuePair.Create("hungUntilStop", 0L)]),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("rtoMs", rtoMs)]),
            []);
        var durable = new CheckerResult(
            "durability",
            durability,
            "judged",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("lost", lost)]),
            ImmutableSortedDictionary<string, double>.Empty,
            []);
        return new RunResults(RunOutcome.Passed, null, false, [], new SuiteResult(durability, [durable, availability]));
    }
}
