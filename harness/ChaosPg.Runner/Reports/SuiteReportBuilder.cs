using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Signoff;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// Builds a suite folder's index.html (scenario x checker matrix, totals, links to each run report, an optional explore
/// section) and junit.xml, and records the runs in suite.json so <c>chaospg report &lt;suite dir&gt;</c> can rebuild both.
/// </summary>
/// <example><code>await SuiteReportBuilder.WriteAsync(suiteDir, "nightly", runDirs); // index.html, junit.xml, suite.json</code></example>
public static class SuiteReportBuilder
{
    public const string IndexFileName = "index.html";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Writes suite.json, index.html and junit.xml into <paramref name="suiteDirectory"/>, building any missing run report;
    /// returns the index path. With <paramref name="signoff"/> the index carries the sign-off summary.
    /// </summary>
    public static async Task<string> WriteAsync(
        string suiteDirectory,
        string name,
        IEnumerable<string> runDirectories,
        ExploreSummary? explore = null,
        bool signoff = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runDirectories);
        Directory.CreateDirectory(suiteDirectory);
        var suitePath = Path.GetFullPath(suiteDirectory);
        var manifest = new SuiteManifest(
            name,
            DateTimeOffset.UtcNow,
            [.. runDirectories.Select(r => RelativeOrAbsolute(suitePath, Path.GetFullPath(r)))],
            explore,
            signoff);
        var stream = new FileStream(Path.Combine(suitePath, SuiteManifest.FileName), FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, manifest, RunsJsonContext.Default.SuiteManifest, cancellationToken).ConfigureAwait(false);
        }

        return await WriteAsync(suitePath, manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds index.html and junit.xml of a suite folder from its suite.json; returns the index path.</summary>
    /// <exception cref="FileNotFoundException">The folder has no suite.json.</exception>
    /// <exception cref="JsonException">suite.json is not a suite manifest.</exception>
    public static async Task<string> RebuildAsync(string suiteDirectory, CancellationToken cancellationToken = default)
    {
        var suitePath = Path.GetFullPath(suiteDirectory);
        var stream = new FileStream(Path.Combine(suitePath, SuiteManifest.FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        SuiteManifest manifest;
        await using (stream.ConfigureAwait(false))
        {
            manifest = await JsonSerializer.DeserializeAsync(stream, RunsJsonContext.Default.SuiteManifest, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{suitePath}: empty {SuiteManifest.FileName}");
        }

        return await WriteAsync(suitePath, manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The suite's index page for runs already loaded; links are relative to <paramref name="suiteDirectory"/>.</summary>
    public static string Build(string suiteDirectory, SuiteManifest manifest, IReadOnlyList<LoadedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(runs);
        var suitePath = Path.GetFullPath(suiteDirectory);
        var passed = runs.Count(r => r.Outcome == RunOutcome.Passed);
        var failed = runs.Count(r => r.Outcome == RunOutcome.Failed);
        var errors = runs.Count(r => r.Outcome == RunOutcome.Error);
        var overall = errors > 0 ? "error" : failed > 0 ? "failed" : "passed";
        var signoff = manifest.Signoff ? SignoffSummary.From(runs.Select(SignoffRun.Of)) : null;
        var bannerTitle = signoff is null ? overall.ToUpperInvariant() : Html.Text(signoff.Banner());
        var checkers = CheckerSuite.Default.Checkers.Select(c => c.Name)
            .Concat(runs.SelectMany(r => r.Results?.Expectations.Select(e => e.Checker) ?? []))
            .Concat(runs.SelectMany(r => r.Results?.Suite?.Results.Select(c => c.Checker) ?? []))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var html = new StringBuilder(32 * 1024);
        html.Append(Inv, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{ReportStyles.ContentSecurityPolicy}">
            <title>{Html.Text(manifest.Name)} — {overall} — ChaosPg suite</title>
            <style>{ReportStyles.Css}</style></head><body>
            <h1>ChaosPg suite: {Html.Text(manifest.Name)}</h1>
            <div class="banner {overall}" id="verdict"><b>{bannerTitle}</b>{passed} passed, {failed} failed, {errors} could not complete, of {runs.Count} runs</div>
            <table class="meta" id="totals">
            <tr><th>Runs</th><td>{runs.Count}</td></tr><tr><th>Passed</th><td>{passed}</td></tr><tr><th>Failed</th><td>{failed}</td></tr><tr><th>Errors</th><td>{errors}</td></tr>
            <tr><th>Total run time</th><td>{Html.Number(runs.Sum(SuiteRun.Seconds), "0.0")} s</td></tr>
            <tr><th>Created (UTC)</th><td>{manifest.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv)}</td></tr>
            <tr><th>Files</th><td><a href="{JUnitReportWriter.FileName}">{JUnitReportWriter.FileName}</a>, <a href="{SuiteManifest.FileName}">{SuiteManifest.FileName}</a></td></tr></table>
            <h2 id="matrix">Scenarios and checkers</h2>
            <p class="muted small">Each cell: the checker's verdict, and what the scenario expected. Green: expectation met; red: unmet.
            Beside the verdicts, each run's key figures: writes acknowledged to clients, acknowledged writes lost (the RPO),
            RTO (primary fault to the first write its successor acknowledged) and the time from the last heal until every
            replica converged; – where the run did not measure it.</p>
            <table id="matrix-table"><tr><th>scenario</th><th>seed</th><th>outcome</th><th class="num">duration</th>
            """);
        foreach (var heading in KeyFigures.Headings)
        {
            html.Append(Inv, $"<th class=\"num figure\">{Html.Text(heading)}</th>");
        }
        foreach (var checker in checkers)
        {
            html.Append(Inv, $"<th>{Html.Text(checker)}</th>");
        }

        html.Append("</tr>");
        foreach (var run in runs)
        {
            var outcome = Html.Word(run.Outcome);
            html.Append(Inv, $"<tr><td>{ReportLink(suitePath, run, run.ScenarioName)}</td><td>{Html.Text(SuiteRun.Seed(run))}</td><td><span class=\"v {outcome}\" title=\"{Html.Text(run.Reason)}\">{outcome}</span></td><td class=\"num\">{Html.Number(SuiteRun.Seconds(run), "0.0")} s</td>");
            var figures = KeyFigures.Of(run);
            foreach (var (cell, heading) in figures.Cells().Zip(KeyFigures.Headings))
            {
                html.Append(Inv, $"<td class=\"num figure\" data-figure=\"{Html.Text(heading)}\">{Html.Text(cell)}</td>");
            }

            foreach (var checker in checkers)
            {
                var expectation = run.Results?.Expectations.FirstOrDefault(e => e.Checker == checker);
                var verdict = run.Results?.Suite?.Find(checker)?.Verdict ?? expectation?.Verdict;
                var word = verdict is { } v ? Html.Word(v) : "not run";
                var cls = expectation is null ? "none" : expectation.Met ? "met" : "unmet";
                var expected = expectation is null ? string.Empty : $"<br><span class=\"small\">expected {Html.Text(expectation.Expected)}: {(expectation.Met ? "met" : "unmet")}</span>";
                html.Append(Inv, $"<td><span class=\"v {cls}\">{word}</span>{expected}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        html.Append(ManagersComparison.Render(suitePath, runs, ReportLink));
        if (signoff is not null)
        {
            html.Append(SignoffSection.Render(signoff));
        }

        var notPassed = runs.Where(r => r.Outcome != RunOutcome.Passed).ToList();
        if (notPassed.Count > 0)
        {
            html.Append("<h2 id=\"failures\">Why runs did not pass</h2><ul>");
            foreach (var run in notPassed)
            {
                html.Append(Inv, $"<li>{ReportLink(suitePath, run, $"{run.ScenarioName} seed {SuiteRun.Seed(run)}")}: {Html.Text(run.Reason)}");
                if (run.Manifest?.ReplayCommand is { } replay)
                {
                    html.Append(Inv, $"<br><code class=\"cmd\">{Html.Text(replay)}</code>");
                }

                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        if (manifest.Explore is { } explore)
        {
            html.Append(Inv, $"""
                <h2 id="explore">Explore: minimal failing schedule</h2>
                <table class="meta"><tr><th>Scenario</th><td>{Html.Text(explore.Scenario)}</td></tr><tr><th>Seed</th><td>{explore.Seed}</td></tr>
                <tr><th>Schedules tried</th><td>{explore.Schedules}</td></tr><tr><th>Shrink steps</th><td>{explore.ShrinkSteps}</td></tr>
                <tr><th>Failure</th><td>{Html.Text(explore.Failure)}</td></tr>
                <tr><th>Replay</th><td><code class="cmd">{Html.Text(explore.ReplayCommand)}</code></td></tr>
                """);
            if (explore.RunDirectory is { } dir)
            {
                var path = Path.IsPathRooted(dir) ? dir : Path.Combine(suitePath, dir);
                html.Append(Inv, $"<tr><th>Run report</th><td><a href=\"{Html.Href(RelativeOrAbsolute(suitePath, Path.Combine(path, RunFolder.ReportFileName)))}\">{Html.Text(dir)}</a></td></tr>");
            }

            html.Append(Inv, $"</table><pre id=\"minimal-schedule\">{Html.Text(explore.MinimalScheduleYaml)}</pre>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static async Task<string> WriteAsync(string suitePath, SuiteManifest manifest, CancellationToken cancellationToken)
    {
        var runs = new List<LoadedRun>(manifest.Runs.Length);
        foreach (var dir in manifest.Runs)
        {
            runs.Add(await LoadAsync(Path.IsPathRooted(dir) ? dir : Path.Combine(suitePath, dir), cancellationToken).ConfigureAwait(false));
        }

        var index = Path.Combine(suitePath, IndexFileName);
        await File.WriteAllTextAsync(index, Build(suitePath, manifest, runs), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        await JUnitReportWriter.WriteAsync(Path.Combine(suitePath, JUnitReportWriter.FileName), manifest.Name, runs, manifest.CreatedUtc, cancellationToken).ConfigureAwait(false);
        return index;
    }

    // A suite reports every run it was given: a folder that cannot be loaded is a run that could not complete.
    private static async Task<LoadedRun> LoadAsync(string runDirectory, CancellationToken cancellationToken)
    {
        var folder = new RunFolder(runDirectory);
        try
        {
            var run = await folder.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!File.Exists(folder.ReportPath))
            {
                await File.WriteAllTextAsync(folder.ReportPath, RunReportBuilder.Build(run), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            }

            return run;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException)
        {
            return new LoadedRun(folder, null, null, null, null, null, [], [], [e.Message]);
        }
    }

    // A run folder that could not be loaded has no report to link to.
    private static string ReportLink(string suitePath, LoadedRun run, string text) =>
        File.Exists(run.Folder.ReportPath)
            ? $"<a href=\"{Html.Href(RelativeOrAbsolute(suitePath, run.Folder.ReportPath))}\">{Html.Text(text)}</a>"
            : $"{Html.Text(text)} <span class=\"muted small\">(no report: {Html.Text(run.Folder.Path)})</span>";

    private static string RelativeOrAbsolute(string from, string to)
    {
        var relative = Path.GetRelativePath(from, to);
        return Path.IsPathRooted(relative) ? relative : relative.Replace('\\', '/');
    }
}
