using System.Collections.Immutable;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Runner.Runs;

/// <summary>Everything a run folder holds, loaded; a file that was missing or unreadable is null and named in <see cref="Problems"/>.</summary>
/// <param name="Folder">Where the run's files are.</param>
/// <param name="Manifest">run.json.</param>
/// <param name="Results">results.json.</param>
/// <param name="History">history.jsonl, paired.</param>
/// <param name="FinalState">snapshots.json.</param>
/// <param name="ScenarioYaml">The scenario as run (scenario.yaml).</param>
/// <param name="Replication">The replication samples, empty when replication.jsonl is missing.</param>
/// <param name="LogFiles">The node logs, as paths relative to the run folder ("logs/primary.log").</param>
/// <param name="Problems">Missing or unreadable files, one line each.</param>
public sealed record LoadedRun(
    RunFolder Folder,
    RunManifest? Manifest,
    RunResults? Results,
    History? History,
    FinalState? FinalState,
    string? ScenarioYaml,
    ImmutableArray<ReplicationSample> Replication,
    ImmutableArray<string> LogFiles,
    ImmutableArray<string> Problems)
{
    /// <summary>The scenario's name from run.json, else from the history header, else the folder's parent name.</summary>
    public string ScenarioName =>
        Manifest?.Scenario ?? History?.Header?.Scenario ?? Path.GetFileName(Path.GetDirectoryName(Folder.Path)) ?? "unknown";

    /// <summary>The run's outcome; a run without results.json is an error (it never finished).</summary>
    public RunOutcome Outcome => Results?.Outcome ?? RunOutcome.Error;

    /// <summary>One line saying why the run passed, failed or erred.</summary>
    public string Reason =>
        Results?.Reason()
        ?? "the run could not complete: " + (Manifest is null && History is null && Problems.Length == 1
            ? Problems[0]
            : "results.json is missing (the run did not finish)");
}
