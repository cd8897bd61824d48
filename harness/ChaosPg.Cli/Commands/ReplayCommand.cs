using System.CommandLine;
using System.Text.Json;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;
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
        var target = new TargetOptions();
        var shared = new RunInvocation();
        var command = new Command("replay", "Redo a run: its scenario.yaml with its seed (and a --target run's target file, given back unchanged); writes a new run folder.") { folder };
        target.AddTo(command);
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

            var (targetSpec, failed) = await target.ReadAsync(parseResult, shared, cancellationToken).ConfigureAwait(false);
            if (failed)
            {
                return CommandErrors.EnvironmentError;
            }

            if (TargetProblem(run, manifest, targetSpec) is { } targetProblem)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(targetProblem).ConfigureAwait(false);
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
                progress => targetSpec is null
                    ? shared.Options(parseResult, manifest.Seed, progress, manifest)
                    : target.Apply(parseResult, shared.Options(parseResult, manifest.Seed, progress, manifest), targetSpec),
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

    // A target run is replayed against the same target file, given back (run.json holds its path and hash, never a
    // password); any other run takes none.
    private static string? TargetProblem(RunFolder run, RunManifest manifest, TargetSpec? given)
    {
        if (manifest.Backend != ClusterAxisNames.Target)
        {
            return given is null ? null : $"chaospg: {run.Path} ran on the {manifest.Backend} backend, not against a target; leave out --target";
        }

        if (given is null)
        {
            return $"chaospg: {run.Path} ran against the target file {manifest.TargetFile ?? "(not recorded in its run.json)"}; give it back: chaospg replay {run.Path} --target {manifest.TargetFile ?? "<file>"} (with --i-own-this-cluster unless the file says so)";
        }

        return manifest.TargetSha256 is { } recorded && given.ContentSha256 != recorded
            ? $"chaospg: {given.File} is not the target file the run used: its sha256 is {Short(given.ContentSha256)}, run.json records {Short(recorded)} for {manifest.TargetFile}; replay against that file unchanged, or run anew: chaospg run {run.ScenarioPath} --seed {manifest.Seed} --target {given.File}"
            : null;
    }

    private static string Short(string? sha256) => sha256 is null ? "none" : sha256[..Math.Min(12, sha256.Length)];
}
