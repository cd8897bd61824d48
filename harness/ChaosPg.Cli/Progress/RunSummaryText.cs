using System.Globalization;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Cli.Progress;

/// <summary>The text a finished run leaves on the console: its verdict table, its unmet expectations and where its files are.</summary>
internal static class RunSummaryText
{
    public static string Render(ScenarioRunResult result)
    {
        var text = new System.Text.StringBuilder();
        var results = result.Results;
        text.Append(CultureInfo.InvariantCulture, $"== {result.Scenario.Name} (seed {result.Seed}, {result.Elapsed.TotalSeconds:0.0} s)\n");
        if (results.Suite is { } suite)
        {
            text.Append(VerdictTable.Render(suite, evidencePerChecker: 5));
        }

        foreach (var expectation in results.Expectations.Where(e => !e.Met))
        {
            text.Append(CultureInfo.InvariantCulture, $"unmet: {expectation.Checker}: {expectation.Reason}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Word(results.Outcome)}: {results.Reason()}\n");
        text.Append(CultureInfo.InvariantCulture, $"run folder: {result.Folder.Path}\n");
        text.Append(CultureInfo.InvariantCulture, $"report: {result.Folder.ReportPath}\n");
        if (result.KeptDataDirectories is { Count: > 0 } kept)
        {
            text.Append(CultureInfo.InvariantCulture, $"data kept (--keep-data): {string.Join(' ', kept)}\n");
        }

        return text.ToString();
    }

    public static string Word(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Passed => "PASSED",
        RunOutcome.Failed => "FAILED",
        _ => "ERROR",
    };

    public static string Tick(RunTick tick) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{tick.Elapsed.TotalSeconds,5:0}s/{tick.Duration.TotalSeconds:0}s  ops/s {tick.OperationsPerSecond,6:0}  ok {tick.Ok}  fail {tick.Failed}  indet {tick.Indeterminate}  lag {Lag(tick.MaxReplayLagBytes)}  faults: {(tick.ActiveFaults.IsEmpty ? "none" : string.Join(", ", tick.ActiveFaults))}");

    private static string Lag(long? bytes) => bytes switch
    {
        null => "-",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MB"),
    };
}
