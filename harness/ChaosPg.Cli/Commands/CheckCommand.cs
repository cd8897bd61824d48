using System.CommandLine;
using System.Text.Json;
using ChaosPg.Core;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg check &lt;history.jsonl | run folder&gt; [--snapshots file] [--json]</c>: runs every checker on a stored run.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var history = new Argument<string>("history") { Description = "history.jsonl, or the run folder that holds it" };
        var snapshots = new Option<string?>("--snapshots") { Description = "the final node states (default: snapshots.json beside the history)" };
        var json = new Option<bool>("--json") { Description = "print the full result (verdicts, counts, figures, evidence) as JSON" };
        var command = new Command("check", "Run the checkers on a stored history; exit 0 valid, 1 invalid or unknown, 2 bad input.");
        command.Arguments.Add(history);
        command.Options.Add(snapshots);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(history)!, parseResult.GetValue(snapshots), parseResult.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string historyArgument, string? snapshotsArgument, bool asJson, CancellationToken cancellationToken)
    {
        var historyPath = Directory.Exists(historyArgument) ? Path.Combine(historyArgument, HistoryWriter.FileName) : historyArgument;
        if (!File.Exists(historyPath))
        {
            return Fail($"no history at {historyPath}: pass a history.jsonl file or a run folder that holds one");
        }

        var snapshotsPath = snapshotsArgument is null
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(historyPath))!, FinalStateStore.FileName)
            : Directory.Exists(snapshotsArgument) ? Path.Combine(snapshotsArgument, FinalStateStore.FileName) : snapshotsArgument;
        if (!File.Exists(snapshotsPath))
        {
            return Fail($"no snapshots at {snapshotsPath}: pass --snapshots <file> with the run's final node states");
        }

        History history;
        FinalState state;
        try
        {
            history = await HistoryReader.ReadAsync(historyPath, cancellationToken).ConfigureAwait(false);
        }
        catch (HistoryFormatException e)
        {
            return Fail(e.Message);
        }

        try
        {
            state = await FinalStateStore.LoadAsync(snapshotsPath, history, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Fail($"{snapshotsPath}: not a snapshots file: {e.Message}");
        }

        var result = CheckerSuite.Default.Run(history, state);
        if (asJson)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(result, CoreJsonContext.Default.SuiteResult));
        }
        else
        {
            if (history.TornTail)
            {
                Console.Out.WriteLine("note: the history's last line was torn (the harness was killed) and was skipped");
            }

            foreach (var problem in history.Problems.Take(10))
            {
                Console.Out.WriteLine("note: " + problem);
            }

            Console.Out.Write(VerdictTable.Render(result));
        }

        return result.Verdict == Verdict.Valid ? 0 : 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
