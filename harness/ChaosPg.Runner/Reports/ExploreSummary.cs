namespace ChaosPg.Runner.Reports;

/// <summary>What an explore session found, for the suite report: the minimal failing schedule and how to replay it.</summary>
/// <param name="Scenario">The scenario explored.</param>
/// <param name="Seed">The seed of the minimal failing run.</param>
/// <param name="Schedules">How many schedules were tried.</param>
/// <param name="ShrinkSteps">How many shrink steps led to the minimal schedule.</param>
/// <param name="Failure">What failed on the minimal schedule (e.g. "durability invalid: 2 acknowledged writes lost").</param>
/// <param name="MinimalScheduleYaml">The minimal failing schedule as scenario YAML.</param>
/// <param name="ReplayCommand">The command that replays the minimal failing run.</param>
/// <param name="RunDirectory">The run folder of the minimal failing run, when kept (linked from the report).</param>
public sealed record ExploreSummary(
    string Scenario,
    long Seed,
    int Schedules,
    int ShrinkSteps,
    string Failure,
    string MinimalScheduleYaml,
    string ReplayCommand,
    string? RunDirectory = null);
