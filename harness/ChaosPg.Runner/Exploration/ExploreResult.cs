using System.Collections.Immutable;

namespace ChaosPg.Runner.Exploration;

/// <summary>What an explore session did and found.</summary>
/// <param name="Directory">The explore folder (suite report, minimal scenario, candidates and run folders).</param>
/// <param name="Seed">The session's seed.</param>
/// <param name="Explored">The generated schedules' runs, in order.</param>
/// <param name="Shrink">The shrinking of the first counterexample, or null when none was found.</param>
/// <param name="MinimalScenarioPath">The minimal failing scenario file, or null when none was found.</param>
/// <param name="ReplayCommand">The command that replays the minimal failing run, or null.</param>
/// <param name="Elapsed">Wall time of the whole session.</param>
public sealed record ExploreResult(
    string Directory,
    long Seed,
    ImmutableArray<TrialResult> Explored,
    ShrinkResult? Shrink,
    string? MinimalScenarioPath,
    string? ReplayCommand,
    TimeSpan Elapsed)
{
    /// <summary>Every cluster run of the session, shrinking included.</summary>
    public int ClusterRuns => Explored.Length + (Shrink?.Runs ?? 0);

    /// <summary>Generated schedules that violated the property (the session stops at the first).</summary>
    public int Failures => Explored.Count(r => r.Verdict == TrialVerdict.Violated);

    /// <summary>0 when no counterexample was found within the budget, 1 when one was.</summary>
    public int ExitCode => Shrink is null ? 0 : 1;
}
