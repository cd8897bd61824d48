using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Signoff;

/// <summary>One run as the sign-off summary reads it: its folder, run.json and results.json (either may be missing).</summary>
/// <param name="RunDirectory">The run folder, for the replay command when run.json is missing.</param>
/// <param name="Manifest">run.json, or null when it could not be read.</param>
/// <param name="Results">results.json, or null when the run never finished.</param>
public sealed record SignoffRun(string RunDirectory, RunManifest? Manifest, RunResults? Results)
{
    /// <summary>The sign-off view of a loaded run folder.</summary>
    public static SignoffRun Of(LoadedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new SignoffRun(run.Folder.Path, run.Manifest, run.Results);
    }
}
