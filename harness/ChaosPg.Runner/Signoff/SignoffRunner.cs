using System.Collections.Immutable;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Signoff;

/// <summary>
/// Runs the release set of a catalog (scenarios tagged <c>release</c>) with N seeds each through
/// <see cref="SuiteRunner"/>, and writes one suite report with the sign-off summary.
/// </summary>
public static class SignoffRunner
{
    /// <summary>The tag that puts a scenario in the sign-off set.</summary>
    public const string ReleaseTag = "release";

    /// <summary>The release scenario files of a catalog folder, in name order; every file is validated first.</summary>
    /// <exception cref="ScenarioValidationException">A file of the catalog does not validate.</exception>
    public static async Task<IReadOnlyList<string>> ReleaseFilesAsync(string catalogDirectory, CancellationToken cancellationToken = default)
    {
        var files = new List<string>();
        var errors = ImmutableArray.CreateBuilder<ScenarioError>();
        foreach (var file in ScenarioCatalog.FilesIn(catalogDirectory))
        {
            var parsed = ScenarioParser.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
            if (parsed.Scenario is not { } scenario)
            {
                errors.AddRange(parsed.Errors);
            }
            else if (scenario.Tags.Contains(ReleaseTag))
            {
                files.Add(file);
            }
        }

        return errors.Count > 0 ? throw new ScenarioValidationException(errors.ToImmutable()) : files;
    }

    /// <summary>
    /// Runs every file with seeds <paramref name="seedBase"/> .. + <paramref name="seeds"/> - 1, each run's folder under
    /// <paramref name="suiteDirectory"/>/runs/, then writes the suite report there. A cancelled sign-off stops after
    /// the run in progress and still reports the runs done.
    /// </summary>
    public static async Task<SignoffResult> RunAsync(
        IReadOnlyList<string> files,
        int seeds,
        long seedBase,
        string suiteDirectory,
        ScenarioRunOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var runs = ImmutableArray.CreateBuilder<ScenarioRunResult>();
        for (var i = 0; i < seeds && !cancellationToken.IsCancellationRequested; i++)
        {
            // One file and one manager per suite run: SuiteRunner then writes no suite folder of its own, only the run
            // folders. With --manager, each file runs under each manager with the same seed, and the report compares them.
            foreach (var (file, manager) in files.SelectMany(f => (options.Managers.IsEmpty ? [null] : options.Managers.Cast<string?>()).Select(m => (f, m))))
            {
                var result = await SuiteRunner.RunAsync(
                    [file],
                    options with { ReportsRoot = suiteDirectory, Seed = seedBase + i, Managers = manager is null ? [] : [manager] },
                    cancellationToken).ConfigureAwait(false);
                runs.AddRange(result.Runs);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        using var timeout = new CancellationTokenSource(options.CleanupTimeout);
        await SuiteReportBuilder.WriteAsync(suiteDirectory, "chaospg signoff", runs.Select(r => r.Folder.Path), signoff: true, cancellationToken: timeout.Token).ConfigureAwait(false);
        var summarized = new List<SignoffRun>(runs.Count);
        foreach (var run in runs)
        {
            summarized.Add(new SignoffRun(run.Folder.Path, await ManifestOrNullAsync(run, timeout.Token).ConfigureAwait(false), run.Results));
        }

        var summary = SignoffSummary.From(summarized);
        return new SignoffResult(runs.ToImmutable(), summary, Path.GetFullPath(suiteDirectory), seedBase);
    }

    // The summary still covers a run whose run.json could not be read: it then shows as unknown in the environment.
    private static async Task<Runs.RunManifest?> ManifestOrNullAsync(ScenarioRunResult run, CancellationToken cancellationToken)
    {
        try
        {
            return await run.Folder.ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
