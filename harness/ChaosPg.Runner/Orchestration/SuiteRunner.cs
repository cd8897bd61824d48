using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Targets;

namespace ChaosPg.Runner.Orchestration;

/// <summary>Runs scenario files one after another; several files make a suite with its own index and JUnit file.</summary>
public static class SuiteRunner
{
    /// <summary>
    /// Validates every file first (a <see cref="ScenarioValidationException"/> carries every error of every file and
    /// nothing starts), then runs them in order. A cancelled suite stops after the run in progress has torn down.
    /// </summary>
    public static async Task<SuiteRunResult> RunAsync(IReadOnlyList<string> files, ScenarioRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var scenarios = new List<(string File, Scenario Scenario)>();
        var errors = ImmutableArray.CreateBuilder<ScenarioError>();
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);

            // Each scenario once per manager, in that order (scenario by scenario, so a suite cut short has compared
            // what it ran), judged under that manager in place of its own; without --manager, once as written.
            foreach (var manager in options.Managers.IsEmpty ? [null] : options.Managers.Select(m => (string?)m))
            {
                var parsed = ScenarioParser.Parse(text, file, manager);
                if (parsed.IsValid)
                {
                    scenarios.Add((file, parsed.Scenario!));
                }
                else
                {
                    // A mistake of the file itself is the same under every manager: said once.
                    errors.AddRange(parsed.Errors.Where(e => !errors.Contains(e)));
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ScenarioValidationException(errors.ToImmutable());
        }

        if (options.Target is { } target)
        {
            ImmutableArray<string> problems = [.. scenarios.SelectMany(s => TargetCompatibility.Check(s.Scenario, s.File, target, options.OwnsTarget)).Distinct(StringComparer.Ordinal)];
            if (!problems.IsEmpty)
            {
                throw new TargetMismatchException(problems);
            }
        }

        var runner = new ScenarioRunner(options);
        var runs = ImmutableArray.CreateBuilder<ScenarioRunResult>();
        var suiteStarted = DateTimeOffset.UtcNow;

        // Each next cluster comes up while the current run's workload ends, so a suite pays about one bring-up in all.
        Task<PreparedRun>? next = null;
        for (var i = 0; i < scenarios.Count; i++)
        {
            var prepared = next is null
                ? await runner.PrepareAsync(scenarios[i].Scenario, scenarios[i].File, background: false, cancellationToken).ConfigureAwait(false)
                : await next.ConfigureAwait(false);
            next = null;
            Action? nearTheEnd = null;
            // A target is one cluster: the next run may open it only once this one has healed it and dropped its schema.
            if (i + 1 < scenarios.Count && options.Target is null)
            {
                var (file, scenario) = scenarios[i + 1];
                nearTheEnd = () => next = runner.PrepareAsync(scenario, file, background: true, cancellationToken);
            }

            runs.Add(await runner.RunAsync(prepared, nearTheEnd, cancellationToken).ConfigureAwait(false));
            if (cancellationToken.IsCancellationRequested)
            {
                // A next run already prepared is run too: it ends at once as cancelled and tears its cluster down.
                if (next is not null)
                {
                    runs.Add(await runner.RunAsync(await next.ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false));
                }

                break;
            }
        }

        string? suiteDirectory = null;
        if (scenarios.Count > 1)
        {
            suiteDirectory = Path.Combine(options.ReportsRoot, "suites", suiteStarted.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(options.CleanupTimeout);
            await SuiteReportBuilder.WriteAsync(suiteDirectory, "chaospg run", runs.Select(r => r.Folder.Path), cancellationToken: timeout.Token).ConfigureAwait(false);
            suiteDirectory = Path.GetFullPath(suiteDirectory);
        }

        return new SuiteRunResult(runs.ToImmutable(), suiteDirectory, clock.Elapsed);
    }
}
