using System.Diagnostics;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// A greedy shrinker over <see cref="ShrinkCandidates"/>, for properties that run a real cluster (FsCheck's own
/// shrinking suits pure properties, where a try costs microseconds, not a cluster run): it tries the candidates of
/// the current failing schedule in order, moves to the first that fails, and starts again from it, until no candidate
/// fails (a local minimum) or the budget runs out. A candidate runs up to <see cref="ShrinkOptions.Tries"/> times and
/// fails when any try violates the property and then each of <see cref="ShrinkOptions.Confirmations"/> more runs does.
/// </summary>
public sealed class ScheduleShrinker
{
    private readonly IScheduleTrial trial;
    private readonly ShrinkOptions options;
    private readonly Func<long> nextSeed;
    private readonly Action<string>? progress;

    /// <param name="trial">Runs a candidate.</param>
    /// <param name="options">Tries per candidate and budget.</param>
    /// <param name="nextSeed">The seed of each run, in order (deterministic for a given explore seed).</param>
    /// <param name="progress">Told one line per run; null tells nobody.</param>
    public ScheduleShrinker(IScheduleTrial trial, ShrinkOptions options, Func<long> nextSeed, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nextSeed);
        this.trial = trial;
        this.options = options;
        this.nextSeed = nextSeed;
        this.progress = progress;
    }

    /// <summary>Shrinks <paramref name="failing"/>, whose run <paramref name="failure"/> violated the property.</summary>
    public async Task<ShrinkResult> ShrinkAsync(Scenario failing, TrialResult failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failing);
        ArgumentNullException.ThrowIfNull(failure);
        var clock = Stopwatch.StartNew();
        var (current, currentFailure, accepted, runs) = (failing, failure, 0, 0);

        // Moving a fault keeps the size, so two schedules could hand the search back and forth; none is tried twice.
        var tried = new HashSet<string>(StringComparer.Ordinal) { ScheduleSummary.Of(failing.Schedule) };
        while (true)
        {
            Scenario? smaller = null;
            foreach (var candidate in ShrinkCandidates.Of(current, options.RequireAllNodesBack).Where(c => tried.Add(ScheduleSummary.Of(c.Schedule))))
            {
                for (int attempt = 1; attempt <= options.Tries; attempt++)
                {
                    if (runs >= options.MaxRuns || clock.Elapsed >= options.MaxTime)
                    {
                        return new ShrinkResult(current, currentFailure, accepted, runs, ShrinkStop.Budget);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    runs++;
                    var result = await trial.RunAsync(candidate, nextSeed(), cancellationToken).ConfigureAwait(false);
                    progress?.Invoke($"shrink run {runs} (try {attempt}/{options.Tries}, {ScheduleGenerator.MoveCount(candidate.Schedule)} steps): {ScheduleSummary.Of(candidate.Schedule)}: {Word(result.Verdict)} ({result.Reason})");
                    if (result.Verdict == TrialVerdict.Violated)
                    {
                        var confirmed = true;
                        for (int confirmation = 1; confirmed && confirmation <= options.Confirmations; confirmation++)
                        {
                            if (runs >= options.MaxRuns || clock.Elapsed >= options.MaxTime)
                            {
                                return new ShrinkResult(current, currentFailure, accepted, runs, ShrinkStop.Budget);
                            }

                            runs++;
                            var again = await trial.RunAsync(candidate, nextSeed(), cancellationToken).ConfigureAwait(false);
                            progress?.Invoke($"shrink run {runs} (confirmation {confirmation}/{options.Confirmations}): {Word(again.Verdict)} ({again.Reason})");
                            confirmed = again.Verdict == TrialVerdict.Violated;
                        }

                        if (confirmed)
                        {
                            (smaller, currentFailure) = (candidate, result);
                        }

                        break;
                    }
                }

                if (smaller is not null)
                {
                    break;
                }
            }

            if (smaller is null)
            {
                return new ShrinkResult(current, currentFailure, accepted, runs, ShrinkStop.Minimal);
            }

            current = smaller;
            accepted++;
        }
    }

    /// <summary>The word progress lines use for a verdict.</summary>
    public static string Word(TrialVerdict verdict) => verdict switch
    {
        TrialVerdict.Held => "held",
        TrialVerdict.Violated => "VIOLATED",
        _ => "inconclusive",
    };
}
