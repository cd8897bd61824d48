using System.CommandLine;
using System.Text.Json;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg replay &lt;run dir&gt;</c>: runs a run's scenario.yaml again with the seed its run.json recorded, then
/// prints both runs' counts and verdicts side by side (<see cref="RunComparison"/>).
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("run-dir") { Description = "A run folder (reports/runs/<scenario>/<utc>-<seed>/)." };
        var shared = new RunInvocation();
        var command = new Command("replay", "Redo a run: its scenario.yaml with its seed; writes a new run folder.") { folder };
        shared.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var run = new RunFolder(parseResult.GetValue(folder)!);
            if (!File.Exists(run.ManifestPath) || !File.Exists(run.ScenarioPath))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"chaospg: {run.Path} has no {RunManifest.FileName} and {RunFolder.ScenarioFileName}; pass a run folder written by chaospg run").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            RunManifest manifest;
            try
            {
                manifest = await run.ReadManifestAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"chaospg: {run.ManifestPath} is not a run manifest: {e.Message}").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            // The recorded backend and images, unless the options say otherwise.
            if (shared.Conflict(parseResult, manifest.Backend) is { } conflict)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            // The original's counts beside the replay's: the seed fixes the schedule and the rows, timing the counts.
            RunResults? original = null;
            if (File.Exists(run.ResultsPath))
            {
                try
                {
                    original = await run.ReadResultsAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException)
                {
                    // An unreadable results.json shows as dashes in the comparison.
                }
            }

            return await RunInvocation.RunAsync(
                parseResult,
                [run.ScenarioPath],
                progress => shared.Options(parseResult, manifest.Seed, progress, manifest),
                cancellationToken,
                async (result, output) =>
                {
                    foreach (var line in RunComparison.Lines(manifest.Seed, original, result.Runs.FirstOrDefault()?.Results))
                    {
                        await output.WriteLineAsync(line).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }));
        return command;
    }
}
