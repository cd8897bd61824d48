using System.Collections.Immutable;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Runs;

public sealed class RtoBoundTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public void An_rto_under_the_bound_meets_it_and_says_what_was_measured()
    {
        var judged = CheckExpectation.JudgeRto(Bound, Availability(rtoMs: 12_345));

        Assert.That((judged.Checker, judged.Expected, judged.Met, judged.Verdict), Is.EqualTo(("rto", "under 30s", true, (Verdict?)Verdict.Valid)));
        Assert.That(judged.Reason, Does.Contain("RTO 12.345 s"));
    }

    [Test]
    public void An_rto_over_the_bound_is_unmet_with_the_window_the_failover_and_the_faults_before_it()
    {
        var judged = CheckExpectation.JudgeRto(Bound, Availability(rtoMs: 41_200));

        Assert.That((judged.Met, judged.Verdict), Is.EqualTo((false, (Verdict?)Verdict.Invalid)));
        Assert.That(judged.Reason, Does.Contain("RTO 41.2 s"));
        Assert.That(judged.Reason, Does.Contain("RTO window 12.000s to 53.200s"));
        Assert.That(judged.Reason, Does.Contain("failover: replica1 promoted at 40.000s"));
        Assert.That(judged.Reason, Does.Contain("faults before it: kill primary at 12.000s"));
        Assert.That(judged.Reason, Does.EndWith("is not under 30s"));
    }

    [Test]
    public void Without_a_measured_rto_the_bound_is_unknown_and_unmet()
    {
        var judged = CheckExpectation.JudgeRto(Bound, Availability(rtoMs: null));

        Assert.That((judged.Met, judged.Verdict), Is.EqualTo((false, (Verdict?)Verdict.Unknown)));
        Assert.That(judged.Reason, Does.StartWith("no RTO measured, so the bound is unknown, not met: no fault on the primary and no failover"));
    }

    [Test]
    public void A_run_judged_with_a_bound_gets_one_more_expectation_and_fails_when_it_does_not_hold()
    {
        var suite = new SuiteResult(Verdict.Valid, [Availability(rtoMs: 41_200)]);
        var expected = ImmutableDictionary<string, string>.Empty.Add("availability", "any");

        var without = RunResults.Judge(suite, expected, lostWritesAllowed: false);
        var with = RunResults.Judge(suite, expected, lostWritesAllowed: false, Bound);

        Assert.That((without.Outcome, without.Expectations.Length), Is.EqualTo((RunOutcome.Passed, 1)));
        Assert.That((with.Outcome, with.Expectations.Length), Is.EqualTo((RunOutcome.Failed, 2)));
        Assert.That(with.Reason(), Does.Contain("rto RTO 41.2 s"));
    }

    private static CheckerResult Availability(double? rtoMs)
    {
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        if (rtoMs is { } rto)
        {
            figures["rtoMs"] = rto;
            var details = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["failover"] = "replica1 promoted at 40.000s",
                ["faultsBefore"] = "kill primary at 12.000s",
            });
            evidence.Add(new Evidence(
                AvailabilityChecker.RtoWindowEvidence,
                $"RTO window 12.000s to {12 + (rto / 1000):0.000}s: from the kill of primary to the first write acknowledged by replica1",
                "replica1",
                null,
                null,
                12_000_000,
                null,
                [],
                [],
                details));
        }

        return new CheckerResult(
            "availability",
            Verdict.Valid,
            rtoMs is null ? "no fault on the primary and no failover; longest span without an acknowledged write 80 ms" : "RTO measured",
            ImmutableSortedDictionary<string, long>.Empty,
            figures.ToImmutable(),
            evidence.ToImmutable());
    }
}
