using System.Collections.Immutable;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Signoff;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Tests.Signoff;

/// <summary>The sign-off summary computed from hand-built run.json and results.json objects, no cluster.</summary>
public class SignoffSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 22, 0, 0, TimeSpan.Zero);

    [Test]
    public void Worst_RPO_and_widest_loss_window_are_taken_per_replication_mode()
    {
        var runs = new[]
        {
            Run("async-a", 1, "async", lost: 3, lossWindowMs: 120),
            Run("async-b", 2, "async", lost: 7, lossWindowMs: 80),
            Run("sync-a", 3, "sync", lost: 0, lossWindowMs: null),
        };

        var summary = SignoffSummary.From(runs);

        Assert.That(summary.Modes.Select(m => m.Mode), Is.EqualTo(new[] { "async", "sync" }));
        var async = summary.Modes[0];
        Assert.That((async.Runs, async.WorstLostWrites, async.WidestLossWindowMs), Is.EqualTo((2, (long?)7, (double?)120)));
        Assert.That((summary.Modes[1].WorstLostWrites, summary.Modes[1].WidestLossWindowMs), Is.EqualTo(((long?)0, (double?)null)));
    }

    [Test]
    public void RTO_and_time_to_converge_give_median_and_worst_of_the_runs_that_measured_them()
    {
        var runs = new[]
        {
            Run("s", 1, "sync", rtoMs: 900, convergenceMs: 100),
            Run("s", 2, "sync", rtoMs: 3000, convergenceMs: 400),
            Run("s", 3, "sync", rtoMs: 1200, convergenceMs: 200),
            Run("s", 4, "sync", rtoMs: null, convergenceMs: 300),
        };

        var mode = SignoffSummary.From(runs).Modes.Single();

        Assert.That((mode.RtoMedianMs, mode.RtoWorstMs), Is.EqualTo(((double?)1200, (double?)3000)));
        Assert.That((mode.ConvergenceMedianMs, mode.ConvergenceWorstMs), Is.EqualTo(((double?)250, (double?)400)));
    }

    [Test]
    public void Every_unmet_expectation_is_listed_with_its_scenario_seed_evidence_and_replay_command()
    {
        var runs = new[]
        {
            Run("replica-partition-heal", 11, "async"),
            Run("sync-primary-kill-zero-loss", 42, "sync", lost: 2, durabilityExpected: CheckExpectation.Valid),
        };

        var summary = SignoffSummary.From(runs);

        Assert.That(summary.Passed, Is.False);
        Assert.That(summary.FailingScenarios, Is.EqualTo(new[] { "sync-primary-kill-zero-loss" }));
        Assert.That(summary.Banner(), Does.Contain("sync-primary-kill-zero-loss").And.StartsWith("FAIL"));
        var unmet = summary.Unmet.Single();
        Assert.That((unmet.Scenario, unmet.Seed, unmet.Checker), Is.EqualTo(("sync-primary-kill-zero-loss", (long?)42, "durability")));
        Assert.That(unmet.Evidence, Does.Contain("expected valid, got invalid").And.Contain("2 lost"));
        Assert.That(unmet.ReplayCommand, Is.EqualTo("chaospg replay /runs/sync-primary-kill-zero-loss/42"));
    }

    [Test]
    public void A_run_that_could_not_complete_is_unmet_and_fails_the_signoff()
    {
        var error = new SignoffRun("/runs/replica-kill-restart/20261126T220000Z-5", null, RunResults.Failure("cluster did not start", lostWritesAllowed: false));

        var summary = SignoffSummary.From([Run("replica-partition-heal", 1, "async"), error]);

        Assert.That(summary.Passed, Is.False);
        Assert.That(summary.FailingScenarios, Is.EqualTo(new[] { "replica-kill-restart" }));
        var unmet = summary.Unmet.Single();
        Assert.That((unmet.Checker, unmet.ReplayCommand), Is.EqualTo(("run", "chaospg replay /runs/replica-kill-restart/20261126T220000Z-5")));
        Assert.That(unmet.Evidence, Does.Contain("cluster did not start"));
    }

    [Test]
    public void Runs_that_meet_every_expectation_pass_and_record_their_environment()
    {
        var summary = SignoffSummary.From([Run("a", 1, "async"), Run("b", 2, "quorum")]);

        Assert.That(summary.Passed, Is.True);
        Assert.That(summary.Unmet, Is.Empty);
        Assert.That(summary.Banner(), Does.StartWith("PASS"));
        Assert.That(summary.Environment.PostgresVersions, Is.EqualTo(new[] { "15.14" }));
        Assert.That(summary.Environment.Backends, Is.EqualTo(new[] { "local" }));
        Assert.That(summary.Environment.ProxyKinds, Is.EqualTo(new[] { "embedded" }));
        Assert.That(summary.Environment.GitCommits, Is.EqualTo(new[] { "abc123" }));
        Assert.That(summary.Environment.StartedUtc, Is.EqualTo(Start.AddMinutes(1)), "the earliest run's start");
    }

    [Test]
    public void A_kernel_run_is_listed_as_no_proxy_beside_the_embedded_one()
    {
        var kernel = Run("k", 3, "async");
        kernel = kernel with { Manifest = kernel.Manifest! with { ProxyKind = null, Network = "kernel" } };

        var summary = SignoffSummary.From([Run("a", 1, "async"), kernel]);

        Assert.That(summary.Environment.ProxyKinds, Is.EqualTo(new[] { "embedded", "none" }));
    }

    [Test]
    public void No_runs_is_not_a_pass()
    {
        Assert.That(SignoffSummary.From([]).Passed, Is.False);
    }

    private static SignoffRun Run(
        string scenario,
        long seed,
        string mode,
        long lost = 0,
        double? lossWindowMs = null,
        double? rtoMs = null,
        double? convergenceMs = null,
        string durabilityExpected = CheckExpectation.Any)
    {
        var durabilityFigures = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Figures(("rpoWrites", lost), ("lossWindowMs", lossWindowMs)));
        var checkers = ImmutableArray.Create(
            Result("durability", lost > 0 ? Verdict.Invalid : Verdict.Valid, $"{lost} lost of 100 acknowledged", durabilityFigures),
            Result("availability", Verdict.Valid, "measured", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Figures(("rtoMs", rtoMs)))),
            Result("convergence", Verdict.Valid, "converged", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Figures(("convergenceMs", convergenceMs)))));
        var suite = new SuiteResult(checkers.Max(c => c.Verdict), checkers);
        var results = RunResults.Judge(suite, new Dictionary<string, string> { ["durability"] = durabilityExpected }, lostWritesAllowed: false);
        var directory = $"/runs/{scenario}/{seed}";
        var manifest = new RunManifest(
            scenario, "test", $"{scenario}.yaml", seed, "local", "15.14", ToxiproxyKind.Embedded, null, "abc123",
            RunManifest.ReplayCommandFor(directory), Start.AddMinutes(seed), Start.AddMinutes(seed + 1), mode, 1, 0);
        return new SignoffRun(directory, manifest, results);
    }

    private static IEnumerable<KeyValuePair<string, double>> Figures(params (string Name, double? Value)[] figures) =>
        figures.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value!.Value));

    private static CheckerResult Result(string checker, Verdict verdict, string summary, ImmutableSortedDictionary<string, double> figures) =>
        new(checker, verdict, summary, ImmutableSortedDictionary<string, long>.Empty, figures, []);
}
