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
            var parsed = ScenarioParser.Parse(text, file);
            if (parsed.IsValid)
            {
                scenarios.Add((file, parsed.Scenario!));
            }
            else
            {
                errors.AddRange(parsed.Errors);
            }
        }

        if (errors.Count == 0 && !options.Managers.IsEmpty)
        {
            scenarios = PerManager(scenarios, options.Managers, errors);
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

    /// <summary>
    /// Each scenario once per manager, in that order (scenario by scenario, so a suite cut short has compared what it
    /// ran), with the manager in place of the scenario's own. A scenario that the validator refuses under a manager (a
    /// harness promote where the manager promotes) adds its errors, naming the manager, to <paramref name="errors"/>.
    /// </summary>
    public static List<(string File, Scenario Scenario)> PerManager(IReadOnlyList<(string File, Scenario Scenario)> scenarios, ImmutableArray<string> managers, ImmutableArray<ScenarioError>.Builder errors)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(errors);
        var expanded = new List<(string File, Scenario Scenario)>(scenarios.Count * managers.Length);
        foreach (var (file, scenario) in scenarios)
        {
            foreach (var manager in managers)
            {
                var under = scenario with { Cluster = scenario.Cluster with { Manager = manager } };
                var issues = ScenarioValidator.Validate(under);
                if (issues.IsEmpty)
                {
                    expanded.Add((file, under));
                }
                else
                {
                    errors.AddRange(issues.Select(i => new ScenarioError(file, 1, 1, $"with --manager {manager}: {i.Path}: {i.Message}")));
                }
            }
        }

        return expanded;
    }
}
