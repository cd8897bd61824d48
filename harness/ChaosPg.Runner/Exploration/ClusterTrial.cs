using System.Globalization;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// Runs a candidate on a real local cluster with <see cref="ScenarioRunner"/>: the candidate is written to
/// <c>&lt;directory&gt;/candidates/NNN.yaml</c> and its run folder goes under <c>&lt;directory&gt;/runs/</c>. The run is a
/// counterexample when a checker the scenario expects valid is invalid; an unknown verdict or a run that could not
/// complete is inconclusive.
/// </summary>
public sealed class ClusterTrial : IScheduleTrial
{
    private readonly ScenarioRunOptions options;
    private readonly string candidates;
    private int count;

    /// <param name="options">How runs are made; <see cref="ScenarioRunOptions.ReportsRoot"/> and <see cref="ScenarioRunOptions.Seed"/> are set per run.</param>
    /// <param name="directory">The explore folder.</param>
    public ClusterTrial(ScenarioRunOptions options, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        this.options = options with { ReportsRoot = directory };
        candidates = Path.Combine(directory, "candidates");
    }

    public async Task<TrialResult> RunAsync(Scenario scenario, long seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Directory.CreateDirectory(candidates);
        var file = Path.Combine(candidates, string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref count):000}.yaml"));
        await File.WriteAllTextAsync(file, ScenarioWriter.Write(scenario), cancellationToken).ConfigureAwait(false);
        var result = await new ScenarioRunner(options with { Seed = seed }).RunAsync(scenario, file, cancellationToken).ConfigureAwait(false);
        var (verdict, reason) = Judge(result.Results);
        return new TrialResult(verdict, reason, seed, result.Folder.Path, result.Elapsed);
    }

    /// <summary>Reads a run's results as the property's verdict and a one-line reason.</summary>
    public static (TrialVerdict Verdict, string Reason) Judge(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Outcome == RunOutcome.Error)
        {
            return (TrialVerdict.Inconclusive, results.Reason());
        }

        var unmet = results.Expectations.Where(e => !e.Met).ToList();
        if (unmet.Count == 0)
        {
            return (TrialVerdict.Held, results.Reason());
        }

        var invalid = unmet.Where(e => e.Verdict == Verdict.Invalid).ToList();
        var shown = invalid.Count > 0 ? invalid : unmet;
        var text = string.Join("; ", shown.Select(e =>
            $"{e.Checker} {e.Verdict?.ToString().ToLowerInvariant() ?? "not run"}"
            + (results.Suite?.Find(e.Checker) is { } checker ? ": " + checker.Summary : string.Empty)));
        return (invalid.Count > 0 ? TrialVerdict.Violated : TrialVerdict.Inconclusive, text);
    }
}
