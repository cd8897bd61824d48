using System.CommandLine;
using System.Text.Json;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg replay &lt;run dir&gt;</c>: runs a run's scenario.yaml again with the seed its run.json recorded.</summary>
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

            return await RunInvocation.RunAsync(parseResult, [run.ScenarioPath], progress => shared.Options(parseResult, manifest.Seed, progress, manifest), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }
}
