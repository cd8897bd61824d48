using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Orchestration;

/// <summary>How one run of a scenario ended and where its files are.</summary>
/// <param name="Scenario">The scenario that ran.</param>
/// <param name="Seed">The seed it ran with.</param>
/// <param name="Folder">The run folder (history, snapshots, results, report).</param>
/// <param name="Results">The judgement, also in results.json.</param>
/// <param name="Elapsed">Wall time of the whole run, bring-up and teardown included.</param>
/// <param name="KeptDataDirectories">With --keep-data, the nodes' data directories left in place; null otherwise.</param>
public sealed record ScenarioRunResult(Scenario Scenario, long Seed, RunFolder Folder, RunResults Results, TimeSpan Elapsed, IReadOnlyList<string>? KeptDataDirectories = null)
{
    /// <summary>0 every expectation met, 1 one unmet, 2 the run could not complete.</summary>
    public int ExitCode => ExitCodeOf(Results.Outcome);

    /// <summary>The CLI's exit code for an outcome.</summary>
    public static int ExitCodeOf(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Passed => 0,
        RunOutcome.Failed => 1,
        _ => 2,
    };
}
