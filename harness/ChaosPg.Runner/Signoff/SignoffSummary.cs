using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Signoff;

/// <summary>
/// What a release manager signs: per replication mode the worst RPO, RTO and time to converge, every unmet expectation
/// with its replay command, and the environment. Computed from run.json and results.json alone (no cluster).
/// </summary>
/// <param name="Passed">True when every run met every expectation.</param>
/// <param name="Runs">How many runs the summary covers.</param>
/// <param name="FailingScenarios">Scenarios with at least one run that did not pass, in name order.</param>
/// <param name="Modes">Figures per replication mode, in the order async, sync, quorum (modes without runs left out).</param>
/// <param name="Unmet">Every unmet expectation and every run that could not complete.</param>
/// <param name="Environment">PostgreSQL version, backend, git commit, proxy kind and date.</param>
public sealed record SignoffSummary(
    bool Passed,
    int Runs,
    ImmutableArray<string> FailingScenarios,
    ImmutableArray<SignoffModeFigures> Modes,
    ImmutableArray<SignoffUnmet> Unmet,
    SignoffEnvironment Environment)
{
    private static readonly string[] ModeOrder = ["async", "sync", "quorum"];

    /// <summary>Summarizes the runs of a sign-off.</summary>
    public static SignoffSummary From(IEnumerable<SignoffRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var all = runs.ToList();
        var modes = all
            .GroupBy(r => r.Manifest?.ReplicationMode ?? "unknown", StringComparer.Ordinal)
            .OrderBy(g => Array.IndexOf(ModeOrder, g.Key) is var i && i >= 0 ? i : ModeOrder.Length)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Figures(g.Key, [.. g]))
            .ToImmutableArray();
        var unmet = all.SelectMany(UnmetOf).ToImmutableArray();
        var failing = all
            .Where(r => r.Results?.Outcome != RunOutcome.Passed)
            .Select(ScenarioOf)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        var manifests = all.Select(r => r.Manifest).OfType<RunManifest>().ToList();
        var environment = new SignoffEnvironment(
            Distinct(manifests.Select(m => m.PostgresVersion)),
            Distinct(manifests.Select(m => m.Backend)),
            Distinct(manifests.Select(m => m.GitCommit)),
            Distinct(manifests.Select(m => ProxyWord(m.ProxyKind))),
            manifests.Count == 0 ? null : manifests.Min(m => m.StartedUtc));
        return new SignoffSummary(all.Count > 0 && failing.IsEmpty, all.Count, failing, modes, unmet, environment);
    }

    /// <summary>The banner's line: PASS, or FAIL naming the failing scenarios.</summary>
    public string Banner() => Passed
        ? string.Create(CultureInfo.InvariantCulture, $"PASS: every expectation of {Runs} run{(Runs == 1 ? string.Empty : "s")} met")
        : Runs == 0 ? "FAIL: no runs" : "FAIL: " + string.Join(", ", FailingScenarios);

    private static SignoffModeFigures Figures(string mode, IReadOnlyList<SignoffRun> runs)
    {
        var lost = Values(runs, "durability", "rpoWrites");
        var window = Values(runs, "durability", "lossWindowMs");
        var rto = Values(runs, "availability", "rtoMs");
        var convergence = Values(runs, "convergence", "convergenceMs");
        return new SignoffModeFigures(
            mode,
            runs.Count,
            lost.Count == 0 ? null : (long)lost.Max(),
            window.Count == 0 ? null : window.Max(),
            Median(rto),
            rto.Count == 0 ? null : rto.Max(),
            Median(convergence),
            convergence.Count == 0 ? null : convergence.Max());
    }

    private static List<double> Values(IEnumerable<SignoffRun> runs, string checker, string figure) =>
        [.. runs.Select(r => r.Results?.Suite?.Find(checker)?.Figures.GetValueOrDefault(figure, double.NaN) ?? double.NaN).Where(v => !double.IsNaN(v))];

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static IEnumerable<SignoffUnmet> UnmetOf(SignoffRun run)
    {
        var scenario = ScenarioOf(run);
        var seed = run.Manifest?.Seed;
        var replay = run.Manifest?.ReplayCommand ?? RunManifest.ReplayCommandFor(run.RunDirectory);
        if (run.Results is not { } results || results.Outcome == RunOutcome.Error)
        {
            yield return new SignoffUnmet(scenario, seed, "run", run.Results?.Reason() ?? "the run could not complete: results.json is missing", replay);
            yield break;
        }

        foreach (var expectation in results.Expectations.Where(e => !e.Met))
        {
            var checker = results.Suite?.Find(expectation.Checker);
            var evidence = (expectation.Reason ?? "unmet") + (checker is null ? string.Empty : $": {checker.Summary}");
            yield return new SignoffUnmet(scenario, seed, expectation.Checker, evidence, replay);
        }
    }

    private static string ScenarioOf(SignoffRun run) =>
        run.Manifest?.Scenario ?? Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(run.RunDirectory))) ?? "unknown";

    private static string ProxyWord(Toxiproxy.ToxiproxyKind? kind) => kind switch
    {
        null => "none",
        Toxiproxy.ToxiproxyKind.ToxiproxyServer => "toxiproxy-server",
        _ => kind.Value.ToString().ToLowerInvariant(),
    };

    private static ImmutableArray<string> Distinct(IEnumerable<string?> values)
    {
        var distinct = values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        return distinct.IsEmpty ? ["unknown"] : distinct;
    }
}
