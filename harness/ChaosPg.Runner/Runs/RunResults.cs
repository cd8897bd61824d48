using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Checkers;

namespace ChaosPg.Runner.Runs;

/// <summary>The judgement of a run: <c>results.json</c> of a run folder.</summary>
/// <param name="Outcome">Passed when every expectation is met, failed when one is not, error when the run could not complete.</param>
/// <param name="Error">Why the run could not complete (outcome error), in one or a few lines.</param>
/// <param name="LostWritesAllowed">True when the scenario allows acknowledged writes to be lost (asynchronous failover).</param>
/// <param name="Expectations">One entry per checker, in report order.</param>
/// <param name="Suite">Every checker's result, or null when the run stopped before the checkers ran.</param>
public sealed record RunResults(
    RunOutcome Outcome,
    string? Error,
    bool LostWritesAllowed,
    ImmutableArray<CheckExpectation> Expectations,
    SuiteResult? Suite)
{
    /// <summary>The results' file name inside a run folder.</summary>
    public const string FileName = "results.json";

    /// <summary>
    /// Judges every checker of <paramref name="suite"/> against <paramref name="expected"/> (checker name to "valid",
    /// "invalid" or "any"; a checker not named is expected valid), and the RTO against <paramref name="rtoBound"/> when
    /// the scenario states one.
    /// </summary>
    public static RunResults Judge(SuiteResult suite, IReadOnlyDictionary<string, string> expected, bool lostWritesAllowed, TimeSpan? rtoBound = null)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(expected);
        var judged = suite.Results
            .Select(r => CheckExpectation.Judge(r.Checker, expected.GetValueOrDefault(r.Checker, CheckExpectation.Valid), r, lostWritesAllowed))
            .Concat(expected.Keys
                .Where(name => suite.Find(name) is null)
                .Order(StringComparer.Ordinal)
                .Select(name => CheckExpectation.Judge(name, expected[name], null, lostWritesAllowed)))
            .Concat(rtoBound is { } bound ? [CheckExpectation.JudgeRto(bound, suite.Find("availability"))] : [])
            .ToImmutableArray();
        return new RunResults(judged.All(e => e.Met) ? RunOutcome.Passed : RunOutcome.Failed, null, lostWritesAllowed, judged, suite);
    }

    /// <summary>A run that could not complete; <paramref name="suite"/> is kept when the checkers still ran.</summary>
    public static RunResults Failure(string error, bool lostWritesAllowed, SuiteResult? suite = null) =>
        new(RunOutcome.Error, error, lostWritesAllowed, [], suite);

    /// <summary>One line saying why the run passed, failed or erred, for banners and CI summaries.</summary>
    public string Reason()
    {
        switch (Outcome)
        {
            case RunOutcome.Error:
                var first = (Error ?? "unknown error").Split('\n', 2)[0].Trim();
                return "the run could not complete: " + first;
            case RunOutcome.Failed:
                var unmet = Expectations.Where(e => !e.Met).ToList();
                return string.Create(CultureInfo.InvariantCulture, $"{unmet.Count} of {Expectations.Length} expectations unmet: ")
                    + string.Join("; ", unmet.Select(e => $"{e.Checker} {e.Reason ?? "unmet"}" + SummaryOf(e.Checker)));
            default:
                return string.Create(CultureInfo.InvariantCulture, $"all {Expectations.Length} expectations met")
                    + (Suite is null ? string.Empty : $" (checkers: {Suite.Verdict.ToString().ToLowerInvariant()})");
        }
    }

    private string SummaryOf(string checker) =>
        Suite?.Find(checker) is { } result ? $" ({result.Summary})" : string.Empty;
}
