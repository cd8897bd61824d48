using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// An explore session: draws schedules from <see cref="ScheduleGenerator"/> with seeds that follow from the session's
/// seed, runs each through the trial (<see cref="ExploreOptions.Parallel"/> at a time) until one violates the property, shrinks that one with
/// <see cref="ScheduleShrinker"/>, and writes <c>&lt;reports&gt;/explore/&lt;utc&gt;/</c>: <c>minimal.yaml</c> (the minimal
/// failing scenario, which <c>chaospg run minimal.yaml --seed S</c> replays) and a suite report of every run with the
/// explore summary.
/// </summary>
public sealed class Explorer
{
    /// <summary>The minimal failing scenario's file name inside the explore folder.</summary>
    public const string MinimalFileName = "minimal.yaml";

    private readonly ExploreOptions options;
    private readonly Func<string, IScheduleTrial> trialFor;
    private readonly Action<string>? progress;

    /// <param name="options">What to explore.</param>
    /// <param name="trialFor">Makes the trial that runs candidates, given the explore folder (<see cref="ClusterTrial"/> for real clusters).</param>
    /// <param name="progress">Told one line per run and per phase; null tells nobody.</param>
    public Explorer(ExploreOptions options, Func<string, IScheduleTrial> trialFor, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trialFor);
        options.Generator.Validate();
        this.options = options;
        this.trialFor = trialFor;
        this.progress = progress;
    }

    /// <summary>Explores until a counterexample is found and shrunk, the runs are done, the budget is spent or the token is cancelled.</summary>
    public async Task<ExploreResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var directory = Path.GetFullPath(Path.Combine(
            options.ReportsRoot, "explore", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(directory);
        var trial = new RecordingTrial(trialFor(directory));
        long seed = options.Seed;
        long NextSeed() => ++seed;
        var generator = options.Generator;
        var explored = ImmutableArray.CreateBuilder<TrialResult>();
        ShrinkResult? shrink = null;
        for (int i = 1; i <= options.Runs && !cancellationToken.IsCancellationRequested && shrink is null;)
        {
            if (clock.Elapsed >= options.Budget)
            {
                Say($"budget of {options.Budget.TotalMinutes:0.#} min spent after {i - 1} runs");
                break;
            }

            // Seeds are handed out in run order, so a session draws the same schedules whatever its parallelism.
            var batch = Enumerable.Range(i, Math.Min(options.Parallel, options.Runs - i + 1))
                .Select(number => (Number: number, Seed: NextSeed()))
                .Select(run => (run.Number, run.Seed, Scenario: Draw(run.Seed)))
                .ToList();
            foreach (var run in batch)
            {
                Say($"run {run.Number}/{options.Runs} (seed {run.Seed}, {ScheduleGenerator.MoveCount(run.Scenario.Schedule)} steps): {ScheduleSummary.Of(run.Scenario.Schedule)}");
            }

            var results = await Task.WhenAll(batch.Select(run => trial.RunAsync(run.Scenario, run.Seed, cancellationToken))).ConfigureAwait(false);
            foreach (var (run, result) in batch.Zip(results))
            {
                explored.Add(result);
                Say($"run {run.Number}/{options.Runs}: {ScheduleShrinker.Word(result.Verdict)} in {result.Elapsed.TotalSeconds:0.0} s ({result.Reason})");
            }

            i += batch.Count;
            int violated = Array.FindIndex(results, r => r.Verdict == TrialVerdict.Violated);
            if (violated >= 0)
            {
                // After a Ctrl-C the shrinker stops at once and the counterexample is reported as found.
                var (number, _, scenario) = batch[violated];
                var result = results[violated];
                Say($"counterexample at run {number}; shrinking (up to {options.ShrinkRuns} runs, {options.Retries} tries per candidate, {options.Confirmations} confirmation(s) of a failure)");
                var shrinker = new ScheduleShrinker(
                    trial,
                    new ShrinkOptions
                    {
                        Tries = options.Retries,
                        MaxRuns = options.ShrinkRuns,
                        Confirmations = options.Confirmations,
                        MaxTime = options.Budget - clock.Elapsed,
                        RequireAllNodesBack = generator.RequireAllNodesBack,
                    },
                    NextSeed,
                    Say);
                try
                {
                    shrink = await shrinker.ShrinkAsync(scenario, result, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    shrink = new ShrinkResult(scenario, result, 0, 0, ShrinkStop.Budget);
                }
            }
        }

        string? minimalPath = null, replay = null;
        ExploreSummary? summary = null;
        if (shrink is not null)
        {
            minimalPath = Path.Combine(directory, MinimalFileName);
            replay = $"chaospg run {minimalPath} --seed {shrink.Failure.Seed.ToString(CultureInfo.InvariantCulture)}";
            var yaml = ScenarioWriter.Write(shrink.Scenario);
            var header = $"# Minimal failing schedule found by chaospg explore --property {options.Property.ToString().ToLowerInvariant()} "
                + $"--replication {options.Replication.ToString().ToLowerInvariant()} --replicas {options.Replicas} --seed {options.Seed}\n"
                + $"# Failure: {shrink.Failure.Reason}\n# Replay: {replay}\n";
            using var write = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await File.WriteAllTextAsync(minimalPath, header + yaml, write.Token).ConfigureAwait(false);
            summary = new ExploreSummary(
                shrink.Scenario.Name,
                shrink.Failure.Seed,
                explored.Count,
                shrink.ShrinkSteps,
                shrink.Failure.Reason,
                yaml,
                replay,
                shrink.Failure.RunDirectory);
        }

        var runDirectories = trial.Results.Select(r => r.RunDirectory).OfType<string>().Where(Directory.Exists).ToList();
        if (runDirectories.Count > 0)
        {
            using var report = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await SuiteReportBuilder.WriteAsync(directory, $"chaospg explore --property {options.Property.ToString().ToLowerInvariant()}", runDirectories, summary, cancellationToken: report.Token).ConfigureAwait(false);
        }

        return new ExploreResult(directory, options.Seed, explored.ToImmutable(), shrink, minimalPath, replay, clock.Elapsed);
    }

    private Scenario Draw(long seed)
    {
        var scenario = ExploreScenario.Create(options.Property, options.Replicas, options.Replication, options.Duration, ScheduleGenerator.Sample(options.Generator, seed));
        return ScenarioValidator.Validate(scenario) is { IsEmpty: false } issues
            ? throw new InvalidOperationException($"The generator drew an invalid schedule (seed {seed}): {issues[0].Path}: {issues[0].Message}")
            : scenario;
    }

    private void Say(string line) => progress?.Invoke(line);

    /// <summary>Keeps every result, so the suite report lists shrinking runs as well as explored ones.</summary>
    private sealed class RecordingTrial(IScheduleTrial inner) : IScheduleTrial
    {
        private readonly ConcurrentQueue<TrialResult> results = new();

        public IEnumerable<TrialResult> Results => results;

        public async Task<TrialResult> RunAsync(Scenario scenario, long seed, CancellationToken cancellationToken = default)
        {
            var result = await inner.RunAsync(scenario, seed, cancellationToken).ConfigureAwait(false);
            results.Enqueue(result);
            return result;
        }
    }
}
