using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// Builds <c>report.html</c> of a run from its run folder alone: verdict banner, what ran and how to replay it, the
/// timeline of faults with throughput, latency and replication lag, the verdicts with their evidence, the events and
/// links to the raw files. Self-contained: inline styles, inline SVG, no script, no fetch.
/// </summary>
/// <example><code>var path = await RunReportBuilder.WriteAsync(runDir); // runDir/report.html</code></example>
public static class RunReportBuilder
{
    private const int EvidencePerChecker = 100;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] NodeColors = ["#2563eb", "#db2777", "#0d9488", "#7c3aed", "#ea580c", "#4b5563"];

    /// <summary>Loads the run folder, writes its report.html and returns the report's path.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder is not a run folder.</exception>
    public static async Task<string> WriteAsync(string runDirectory, CancellationToken cancellationToken = default)
    {
        var run = await new RunFolder(runDirectory).LoadAsync(cancellationToken).ConfigureAwait(false);
        var html = Build(run);
        await File.WriteAllTextAsync(run.Folder.ReportPath, html, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return run.Folder.ReportPath;
    }

    /// <summary>The report of a loaded run as one HTML document.</summary>
    public static string Build(LoadedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var html = new StringBuilder(64 * 1024);
        var outcome = Html.Word(run.Outcome);
        html.Append(Inv, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{ReportStyles.ContentSecurityPolicy}">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.Text(run.ScenarioName)} — {outcome} — ChaosPg run</title>
            <style>{ReportStyles.Css}</style></head><body>
            <h1>ChaosPg run: {Html.Text(run.ScenarioName)}</h1>
            <div class="banner {outcome}" id="verdict"><b>{outcome.ToUpperInvariant()}</b>{Html.Text(run.Reason)}</div>
            <nav class="small"><a href="#run">Run</a><a href="#timeline">Timeline</a><a href="#latency">Latency</a><a href="#replication">Replication</a><a href="#verdicts">Verdicts</a><a href="#figures">RPO / RTO</a><a href="#evidence">Evidence</a><a href="#events">Events</a><a href="#nodes">Final state</a><a href="#files">Files</a></nav>
            """);
        AppendProblems(html, run);
        AppendMetadata(html, run);
        var metrics = run.History is null ? null : RunMetrics.From(run.History);
        AppendTimeline(html, run, metrics);
        AppendLatency(html, run, metrics);
        AppendErrors(html, run);
        AppendCancelledAtStop(html, run);
        AppendReplication(html, run);
        AppendVerdicts(html, run);
        AppendFigures(html, run);
        AppendManagerPromotions(html, run);
        AppendEvidence(html, run);
        AppendEvents(html, run);
        AppendNodes(html, run);
        AppendScenario(html, run);
        AppendFiles(html, run);
        html.Append(Inv, $"<p class=\"muted small\">Built by chaospg report from the run folder alone; rebuild with <code>chaospg report {Html.Text(run.Folder.Path)}</code>.</p></body></html>\n");
        return html.ToString();
    }

    private static void AppendProblems(StringBuilder html, LoadedRun run)
    {
        var problems = run.Problems.AsEnumerable();
        if (run.History is { } history)
        {
            problems = problems.Concat(history.Problems.Take(20).Select(p => "history: " + p));
            if (history.TornTail)
            {
                problems = problems.Append("history: the last line was cut short (the harness was killed while writing it)");
            }
        }

        var list = problems.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Append("<div class=\"problems\" id=\"problems\"><b>Incomplete run folder</b><ul>");
        foreach (var p in list)
        {
            html.Append(Inv, $"<li>{Html.Text(p)}</li>");
        }

        html.Append("</ul></div>");
    }

    private static void AppendMetadata(StringBuilder html, LoadedRun run)
    {
        var m = run.Manifest;
        var header = run.History?.Header;
        html.Append("<h2 id=\"run\">Run</h2><table class=\"meta\">");
        Row(html, "Scenario", run.ScenarioName);
        Row(html, "Description", m?.Description);
        Row(html, "Scenario file", m?.ScenarioFile);
        Row(html, "Seed", (m?.Seed ?? header?.Seed)?.ToString(Inv));
        Row(html, "Backend", m?.Backend);
        Row(html, "Network mode", m?.NetworkMode);
        Row(html, "Manager", m?.ManagerName);
        if (m?.TargetFile is { } targetFile)
        {
            Row(html, "Target file", $"{targetFile} (sha256 {m.TargetSha256 ?? "not recorded"})");
        }

        if (m?.ManagerFacts is { } manager)
        {
            Row(html, "Manager versions", string.Join(", ", manager.Versions.Select(v => $"{v.Key} {v.Value}")));
            Row(html, "Manager settings", string.Join(", ", manager.Settings.Select(v => $"{v.Key}: {v.Value}")));
        }

        Row(html, "PostgreSQL version", m?.PostgresVersion);
        Row(html, "Proxy", m is null ? null : m.ProxyKind is { } proxy ? Html.Word(proxy) + (m.ProxyVersion is null ? string.Empty : " " + m.ProxyVersion) : $"none ({m.NetworkMode} links)");
        Row(html, "Git commit", m?.GitCommit ?? (m is null ? null : "not recorded"));
        Row(html, "Replication mode", m?.ReplicationMode);
        Row(html, "Replicas", m?.Replicas.ToString(Inv));
        Row(html, "Started (UTC)", (m?.StartedUtc ?? header?.StartedUtc)?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv));
        Row(html, "Ended (UTC)", m?.EndedUtc?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv));
        Row(html, "Duration", m?.Duration is { } d ? d.TotalSeconds.ToString("0.0", Inv) + " s" : null);
        Row(html, "History span", run.History is { } h ? Html.Seconds(h.EndMicros) + $" ({Html.Number(h.Operations.Length)} operations, {Html.Number(h.Events.Length)} events)" : null);
        Row(html, "Exit status", m?.ExitStatus?.ToString(Inv));
        var replay = m?.ReplayCommand ?? RunManifest.ReplayCommandFor(run.Folder.Path);
        html.Append(Inv, $"<tr><th>Replay command</th><td><code class=\"cmd\" id=\"replay\">{Html.Text(replay)}</code></td></tr></table>");
    }

    private static void Row(StringBuilder html, string name, string? value) =>
        html.Append(Inv, $"<tr><th>{name}</th><td>{(value is null ? "<span class=\"muted\">not recorded</span>" : Html.Text(value))}</td></tr>");

    private static List<ChartBand> Bands(LoadedRun run) =>
        run.History is null
            ? []
            : [.. run.History.Events
                .Where(e => EventPalette.IsShaded(e.Kind))
                .Select(e => new ChartBand(e.StartMicros / 1e6, (e.EndMicros ?? run.History.EndMicros) / 1e6, EventPalette.Label(e), EventPalette.ColorOf(e)))];

    private static double EndSeconds(LoadedRun run) =>
        Math.Max(
            run.History?.EndMicros ?? 0,
            run.Replication.IsEmpty ? 0 : run.Replication.Max(s => s.AtMicros)) / 1e6;

    private static void AppendTimeline(StringBuilder html, LoadedRun run, RunMetrics? metrics)
    {
        html.Append("<h2 id=\"timeline\">Timeline</h2>");
        if (run.History is not { } history || metrics is null)
        {
            html.Append("<p class=\"muted\">No history: nothing to draw.</p>");
            return;
        }

        html.Append(Inv, $"""<p class="legend small"><span><i style="background:{EventPalette.Network}"></i>network fault</span><span><i style="background:{EventPalette.Process}"></i>process fault</span><span><i style="background:{EventPalette.Action}"></i>action</span><span><i style="background:{EventPalette.Healing}"></i>heal / convergence</span> Hover a band for its parameters and times; the same bands shade every chart below.</p>""");
        var end = Math.Max(history.EndMicros, (long)(EndSeconds(run) * 1e6));
        html.Append(TimelineSvg.Render(history.Events, end));
        var bands = Bands(run);
        var bucket = metrics.BucketSeconds >= 1 ? Html.Number(metrics.BucketSeconds) + " s" : Html.Number(metrics.BucketSeconds * 1000) + " ms";
        foreach (var kind in metrics.ChartedKinds)
        {
            var chart = new SvgChart($"{Html.Word(kind)} throughput (completions per second, {bucket} buckets)", "ops/s", end / 1e6);
            chart.AddBands(bands);
            chart.Add(new ChartSeries("ok", "#16a34a", metrics.Points(metrics.Rates[(kind, OperationOutcome.Ok)])));
            chart.Add(new ChartSeries("fail", "#dc2626", metrics.Points(metrics.Rates[(kind, OperationOutcome.Fail)])));
            chart.Add(new ChartSeries("indeterminate", "#d97706", metrics.Points(metrics.Rates[(kind, OperationOutcome.Indeterminate)])));
            html.Append(Inv, $"<div id=\"throughput-{Html.Word(kind)}\">{chart.Render()}</div>");
        }
    }

    private static void AppendLatency(StringBuilder html, LoadedRun run, RunMetrics? metrics)
    {
        html.Append("<h2 id=\"latency\">Latency</h2>");
        if (metrics is null)
        {
            html.Append("<p class=\"muted\">No history: no latency.</p>");
            return;
        }

        var chart = new SvgChart("latency of ok operations over time (p50 solid, p99 dashed)", "ms", EndSeconds(run));
        chart.AddBands(Bands(run));
        foreach (var (kind, color) in new[] { (OperationKind.Write, "#2563eb"), (OperationKind.Read, "#0d9488"), (OperationKind.Txn, "#7c3aed") }.Where(k => metrics.ChartedKinds.Contains(k.Item1)))
        {
            var (p50, p99) = metrics.LatencyOverTime[kind];
            chart.Add(new ChartSeries(Html.Word(kind) + " p50", color, metrics.Points(p50)));
            chart.Add(new ChartSeries(Html.Word(kind) + " p99", color, metrics.Points(p99), Dashed: true));
        }

        html.Append(chart.Render());
        html.Append("<table id=\"latency-table\"><tr><th>operation</th><th>outcome</th><th class=\"num\">count</th><th class=\"num\">p50 ms</th><th class=\"num\">p95 ms</th><th class=\"num\">p99 ms</th><th class=\"num\">max ms</th></tr>");
        foreach (var row in metrics.Latency)
        {
            html.Append(Inv, $"<tr><td>{row.Kind}</td><td>{row.Outcome}</td><td class=\"num\">{Html.Number(row.Count)}</td><td class=\"num\">{Html.Number(row.P50)}</td><td class=\"num\">{Html.Number(row.P95)}</td><td class=\"num\">{Html.Number(row.P99)}</td><td class=\"num\">{Html.Number(row.Max)}</td></tr>");
        }

        html.Append("</table><p class=\"muted small\">From invoke to completion as the client saw it; operations that never completed have no latency and count as indeterminate above.</p>");
    }

    private static void AppendErrors(StringBuilder html, LoadedRun run)
    {
        if (run.History is not { } history)
        {
            return;
        }

        var groups = history.Operations
            .Where(o => o.Outcome != OperationOutcome.Ok)
            .GroupBy(o => (o.Kind, o.Outcome, Class: o.Error?.ErrorClass ?? (o.Completed ? "none" : "never-completed"), o.Error?.SqlState))
            .OrderBy(g => g.Key.Kind)
            .ThenBy(g => g.Key.Outcome)
            .ThenByDescending(g => g.Count())
            .ToList();
        html.Append("<h3 id=\"errors\">Operations that did not succeed</h3>");
        if (groups.Count == 0)
        {
            html.Append("<p class=\"muted\">Every operation completed ok.</p>");
            return;
        }

        html.Append("<table id=\"errors-table\"><tr><th>operation</th><th>outcome</th><th>error class</th><th>SQLSTATE</th><th class=\"num\">count</th><th class=\"num\">first</th><th class=\"num\">last</th><th>example message</th></tr>");
        foreach (var g in groups)
        {
            var example = g.Select(o => o.Error?.Message).FirstOrDefault(m => m is not null);
            html.Append(Inv, $"<tr><td>{Html.Word(g.Key.Kind)}</td><td>{Html.Word(g.Key.Outcome)}</td><td>{Html.Text(g.Key.Class)}</td><td><code>{Html.Text(g.Key.SqlState ?? "–")}</code></td><td class=\"num\">{Html.Number(g.Count())}</td><td class=\"num\">{Html.Seconds(g.Min(o => o.EndMicros))}</td><td class=\"num\">{Html.Seconds(g.Max(o => o.EndMicros))}</td><td class=\"small\">{Html.Text(example)}</td></tr>");
        }

        html.Append("</table>");
    }

    // A commit that waited for a synchronous standby until the workload stopped comes back ok when the client cancels
    // it (with the "might not have been replicated" warning): that ok is no commit in time, and the report says so.
    private static void AppendCancelledAtStop(StringBuilder html, LoadedRun run)
    {
        if (run.History is not { } history)
        {
            return;
        }

        var hung = history.Operations.Where(o => o.HungUntilStop).ToList();
        html.Append("<h3 id=\"cancelled-at-stop\">Operations still waiting when the workload stopped</h3>");
        if (hung.Count == 0)
        {
            html.Append("<p class=\"muted\">None: every operation came back before the workload stopped.</p>");
            return;
        }

        var okWithWarning = hung.Count(o => o.Kind == OperationKind.Write && o.Outcome == OperationOutcome.Ok && o.AcknowledgedWithSyncWarning);
        html.Append(Inv, $"<p class=\"warn\" id=\"cancelled-at-stop-summary\">{Html.Number(hung.Count)} operations were still waiting when the workload stopped; {Html.Number(okWithWarning)} commits came back ok only because the client cancelled them then (the server's warning: committed locally, might not have been replicated). The availability checker counts every one as unavailability.</p>");
        html.Append("<table id=\"cancelled-at-stop-table\"><tr><th>operation</th><th>node</th><th>came back as</th><th class=\"num\">count</th><th class=\"num\">first invoked</th><th class=\"num\">longest wait (s)</th></tr>");
        foreach (var g in hung
            .GroupBy(o => (o.Kind, o.Node, What: o.Outcome == OperationOutcome.Ok && o.AcknowledgedWithSyncWarning ? "ok, only because the client cancelled it (sync-replication warning)" : o.Outcome == OperationOutcome.Ok ? "ok, only because the client cancelled it" : Html.Word(o.Outcome) + " (cancelled by the client)"))
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Node, StringComparer.Ordinal))
        {
            html.Append(Inv, $"<tr><td>{Html.Word(g.Key.Kind)}</td><td>{Html.Text(g.Key.Node)}</td><td>{Html.Text(g.Key.What)}</td><td class=\"num\">{Html.Number(g.Count())}</td><td class=\"num\">{Html.Seconds(g.Min(o => o.InvokeMicros))}</td><td class=\"num\">{Html.Number(g.Max(o => o.EndMicros - o.InvokeMicros) / 1e6)}</td></tr>");
        }

        html.Append("</table>");
    }

    private static void AppendReplication(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"replication\">Replication lag</h2>");
        if (run.Replication.IsEmpty)
        {
            html.Append(Inv, $"<p class=\"muted\">No replication samples ({ReplicationSample.FileName} is missing or empty).</p>");
            return;
        }

        var nodes = run.Replication.Select(s => s.Node).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var ms = new SvgChart("replay lag per replica (pg_stat_replication.replay_lag on the primary)", "ms", EndSeconds(run));
        var bytes = new SvgChart("replay lag per replica (WAL bytes behind the primary)", "bytes", EndSeconds(run));
        ms.AddBands(Bands(run));
        bytes.AddBands(Bands(run));
        html.Append("<table id=\"replication-table\"><tr><th>replica</th><th class=\"num\">samples</th><th class=\"num\">max lag ms</th><th class=\"num\">max lag bytes</th><th class=\"num\">disconnected samples</th><th>states seen</th></tr>");
        for (var i = 0; i < nodes.Count; i++)
        {
            var samples = run.Replication.Where(s => s.Node == nodes[i]).OrderBy(s => s.AtMicros).ToList();
            var color = NodeColors[i % NodeColors.Length];
            ms.Add(new ChartSeries(nodes[i], color, [.. samples.Select(s => (s.AtMicros / 1e6, s.ReplayLagMs ?? double.NaN))]));
            bytes.Add(new ChartSeries(nodes[i], color, [.. samples.Select(s => (s.AtMicros / 1e6, s.ReplayLagBytes is { } b ? (double)b : double.NaN))]));
            var maxMs = samples.Select(s => s.ReplayLagMs ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
            var maxBytes = samples.Where(s => s.ReplayLagBytes is not null).Select(s => s.ReplayLagBytes!.Value).DefaultIfEmpty(-1).Max();
            var disconnected = samples.Count(s => s.ReplayLagBytes is null && s.ReplayLagMs is null);
            var states = string.Join(", ", samples.Select(s => s.Role + "/" + s.State).Distinct(StringComparer.Ordinal));
            html.Append(Inv, $"<tr><td>{Html.Text(nodes[i])}</td><td class=\"num\">{samples.Count}</td><td class=\"num\">{Html.Number(maxMs)}</td><td class=\"num\">{(maxBytes < 0 ? "–" : Html.Number(maxBytes))}</td><td class=\"num\">{disconnected}</td><td>{Html.Text(states)}</td></tr>");
        }

        html.Append("</table>");
        html.Append(Inv, $"<div id=\"lag-ms\">{ms.Render()}</div><div id=\"lag-bytes\">{bytes.Render()}</div><p class=\"muted small\">Gaps in a line are samples where the primary listed no walsender for the replica (disconnected, down or promoted).</p>");
    }

    private static string VerdictCell(Verdict? verdict) =>
        verdict is { } v ? $"<span class=\"v {Html.Word(v)}\">{Html.Word(v)}</span>" : "<span class=\"v none\">not run</span>";

    private static void AppendVerdicts(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"verdicts\">Verdicts</h2>");
        var results = run.Results;
        var suite = results?.Suite;
        if (results is null)
        {
            html.Append("<p class=\"muted\">No results.json: the run did not reach judgement.</p>");
            return;
        }

        if (results.Error is not null)
        {
            html.Append(Inv, $"<p><b>The run could not complete:</b></p><pre id=\"run-error\">{Html.Text(results.Error)}</pre>");
        }

        if (results.LostWritesAllowed)
        {
            html.Append("<p>This scenario <b>allows lost writes</b>: durability is measured (RPO), not judged.</p>");
        }

        html.Append("<table id=\"verdict-table\"><tr><th>checker</th><th>expected</th><th>verdict</th><th>met</th><th>counts</th><th>summary</th></tr>");
        var checkers = results.Expectations.Select(e => e.Checker)
            .Concat(suite?.Results.Select(r => r.Checker) ?? [])
            .Distinct(StringComparer.Ordinal);
        foreach (var checker in checkers)
        {
            var expectation = results.Expectations.FirstOrDefault(e => e.Checker == checker);
            var result = suite?.Find(checker);
            var met = expectation is null
                ? "<span class=\"v none\">–</span>"
                : expectation.Met ? "<span class=\"v met\">met</span>" : $"<span class=\"v unmet\">unmet</span>";
            var counts = result is null ? string.Empty : string.Join("<br>", result.Counts.Select(c => Html.Text(c.Key) + "=" + Html.Number(c.Value)));
            var reason = expectation?.Reason is { } r ? $"<br><span class=\"muted small\">{Html.Text(r)}</span>" : string.Empty;
            var error = result?.Error is { } e ? $"<br><span class=\"small\">checker error: {Html.Text(e.Split('\n', 2)[0])}</span>" : string.Empty;
            html.Append(Inv, $"<tr><td>{Html.Text(checker)}</td><td><span class=\"v {Html.Text(expectation?.Expected ?? "none")}\">{Html.Text(expectation?.Expected ?? "–")}</span></td><td>{VerdictCell(result?.Verdict ?? expectation?.Verdict)}</td><td>{met}{reason}</td><td class=\"small\">{counts}</td><td>{Html.Text(result?.Summary)}{error}</td></tr>");
        }

        html.Append("</table>");
        if (suite is not null)
        {
            html.Append(Inv, $"<p>Merged checker verdict: {VerdictCell(suite.Verdict)} <span class=\"muted small\">(the strict reading; the run's outcome comes from the expectations)</span></p>");
        }
    }

    private static void AppendFigures(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"figures\">RPO, RTO and staleness</h2>");
        var suite = run.Results?.Suite;
        if (suite is null)
        {
            html.Append("<p class=\"muted\">No checker results.</p>");
            return;
        }

        string Figure(string checker, string name, string unit)
        {
            return suite.Find(checker)?.Figures.TryGetValue(name, out var value) == true ? Html.Number(value) + unit : "<span class=\"muted\">–</span>";
        }

        long? Count(string checker, string name) => suite.Find(checker)?.Counts.TryGetValue(name, out var value) == true ? value : null;

        html.Append("<table class=\"meta\" id=\"figures-table\">");
        html.Append(Inv, $"<tr><th>RPO (lost acknowledged writes)</th><td>{Figure("durability", "rpoWrites", " writes")} <span class=\"muted small\">({Count("durability", "lostWithSyncWarning")?.ToString(Inv) ?? "–"} after a synchronous-replication warning, {Count("durability", "lostPlain")?.ToString(Inv) ?? "–"} plain; of {Count("durability", "acknowledged")?.ToString(Inv) ?? "–"} acknowledged)</span></td></tr>");
        html.Append(Inv, $"<tr><th>Loss window</th><td>{Figure("durability", "lossWindowMs", " ms")}</td></tr>");
        html.Append(Inv, $"<tr><th>RTO (primary fault to first write acknowledged by its successor)</th><td>{Figure("availability", "rtoMs", " ms")}</td></tr>");
        html.Append(Inv, $"<tr><th>Longest span without an acknowledged write</th><td>{Figure("availability", "longestGapMs", " ms")}</td></tr>");
        html.Append(Inv, $"<tr><th>Writes still waiting when the workload stopped</th><td>{Count("availability", "hungUntilStop")?.ToString(Inv) ?? "–"} <span class=\"muted small\">({Count("availability", "hungOkWithSyncWarning")?.ToString(Inv) ?? "–"} came back ok only because the client cancelled them, with the synchronous-replication warning)</span></td></tr>");
        html.Append(Inv, $"<tr><th>Convergence (last heal to converged)</th><td>{Figure("convergence", "convergenceMs", " ms")}</td></tr>");
        html.Append(Inv, $"<tr><th>Split-brain overlap</th><td>{Figure("split-brain", "overlapMs", " ms")}</td></tr></table>");
        html.Append("<h3>Staleness of replica reads</h3><table id=\"staleness-table\"><tr><th>measure</th><th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">p99</th><th class=\"num\">max</th></tr>");
        foreach (var (prefix, label) in new[] { ("staleMs", "age of the oldest unseen acknowledged write (ms)"), ("staleWrites", "acknowledged writes not yet visible") })
        {
            html.Append(Inv, $"<tr><td>{label}</td><td class=\"num\">{Figure("replica-reads", prefix + "P50", string.Empty)}</td><td class=\"num\">{Figure("replica-reads", prefix + "P95", string.Empty)}</td><td class=\"num\">{Figure("replica-reads", prefix + "P99", string.Empty)}</td><td class=\"num\">{Figure("replica-reads", prefix + "Max", string.Empty)}</td></tr>");
        }

        html.Append("</table><p class=\"muted small\">Staleness figures are lower bounds measured at each read's invoke on a node that was not the primary.</p>");
        html.Append("<details><summary>Every figure of every checker</summary><table><tr><th>checker</th><th>figure</th><th class=\"num\">value</th></tr>");
        foreach (var result in suite.Results)
        {
            foreach (var (name, value) in result.Figures)
            {
                html.Append(Inv, $"<tr><td>{Html.Text(result.Checker)}</td><td>{Html.Text(name)}</td><td class=\"num\">{Html.Number(value)}</td></tr>");
            }
        }

        html.Append("</table></details>");
    }

    private static void AppendEvidence(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"evidence\">Evidence</h2>");
        var suite = run.Results?.Suite;
        var withEvidence = suite?.Results.Where(r => !r.Evidence.IsEmpty).OrderBy(r => r.Verdict == Verdict.Valid).ToList() ?? [];
        if (withEvidence.Count == 0)
        {
            html.Append("<p class=\"muted\">No checker named an anomaly or a measured instant.</p>");
            return;
        }

        foreach (var result in withEvidence)
        {
            html.Append(Inv, $"<h3 id=\"evidence-{Html.Text(result.Checker)}\">{Html.Text(result.Checker)} {VerdictCell(result.Verdict)} <span class=\"muted small\">{result.Evidence.Length} item(s)</span></h3>");
            html.Append("<table class=\"evidence\"><tr><th>id</th><th>what</th><th>node / client</th><th class=\"num\">invoked</th><th class=\"num\">at (ack)</th><th>event window</th><th>server notices</th><th>details</th></tr>");
            foreach (var e in result.Evidence.Take(EvidencePerChecker))
            {
                html.Append(Inv, $"<tr><td><code>{Html.Text(e.Id)}</code></td><td>{Html.Text(e.What)}</td><td>{Html.Text(e.Node)}{(e.Client is null ? string.Empty : " / " + Html.Text(e.Client))}</td>");
                html.Append(Inv, $"<td class=\"num\">{(e.InvokeMicros is { } inv ? Html.Seconds(inv) : "–")}</td><td class=\"num\">{(e.AtMicros is { } at ? Html.Seconds(at) : "–")}</td><td class=\"small\">{Window(e)}</td><td class=\"small\">{Notices(e.Notices)}</td>");
                html.Append(Inv, $"<td class=\"small\">{string.Join("<br>", e.Details.Select(d => Html.Text(d.Key) + "=" + Html.Text(d.Value)))}</td></tr>");
            }

            html.Append("</table>");
            AppendCycles(html, result);
            if (result.Evidence.Length > EvidencePerChecker)
            {
                html.Append(Inv, $"<p class=\"muted\">… {result.Evidence.Length - EvidencePerChecker} more in <a href=\"{RunResults.FileName}\">{RunResults.FileName}</a>.</p>");
            }
        }
    }

    // The transactions checker's cycles, each drawn as a small graph with its steps as the caption.
    private static void AppendCycles(StringBuilder html, CheckerResult result)
    {
        var cycles = result.Evidence.Where(e => e.Details.ContainsKey("edges") && e.Details.ContainsKey("txns")).Take(EvidencePerChecker).ToList();
        if (cycles.Count == 0)
        {
            return;
        }

        html.Append("<div class=\"cycles\">");
        foreach (var e in cycles)
        {
            var txns = e.Details["txns"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var edges = e.Details["edges"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var steps = e.Details.Where(d => d.Key.StartsWith("step", StringComparison.Ordinal)).Select(d => "<li>" + Html.Text(d.Value) + "</li>");
            html.Append(Inv, $"<figure class=\"cycle\"><figcaption><code>{Html.Text(e.Id)}</code> {Html.Text(e.What)}</figcaption>{CycleSvg.Render(txns, edges)}<ol class=\"small\">{string.Concat(steps)}</ol></figure>");
        }

        html.Append("</div>");
    }

    private static string Window(Evidence e)
    {
        var parts = new List<string>();
        if (e.LatestEvent is { } latest)
        {
            parts.Add(Html.Text($"after {Html.Word(latest.Kind)} {latest.Target} #{latest.Id.ToString(Inv)} ({Html.Seconds(latest.StartMicros)})"));
        }

        if (!e.ActiveEvents.IsEmpty)
        {
            parts.Add("during " + Html.Text(string.Join(", ", e.ActiveEvents.Select(a => $"{Html.Word(a.Kind)} {a.Target} #{a.Id.ToString(Inv)}"))));
        }

        return parts.Count == 0 ? "<span class=\"muted\">before any event</span>" : string.Join("<br>", parts);
    }

    private static string Notices(ImmutableArray<ServerNotice> notices) =>
        notices.IsDefaultOrEmpty
            ? string.Empty
            : string.Concat(notices.Select(n =>
                $"<span class=\"notice{(n.IsSynchronousReplicationCancel ? " sync" : string.Empty)}\">{Html.Text($"{n.Severity} {n.SqlState}: {n.Message}")}{(n.Detail is null ? string.Empty : " <span class=\"muted\">" + Html.Text(n.Detail) + "</span>")}</span>"));

    // Whom the manager promoted and how far behind it was when chosen, from the promote events' parameters alone.
    private static void AppendManagerPromotions(StringBuilder html, LoadedRun run)
    {
        var promotions = run.History?.Events.Where(e => e.Kind == EventKind.Promote && ManagerEventParameters.IsManagerDecision(e)).ToList() ?? [];
        if (promotions.Count == 0)
        {
            return;
        }

        html.Append("<h3 id=\"manager-promotions\">Promotions by the manager</h3>");
        html.Append("<table id=\"manager-promotions-table\"><tr><th>node</th><th class=\"num\">at</th><th class=\"num\">lag (bytes)</th><th class=\"num\">replay lag (ms)</th><th>most advanced</th><th class=\"num\">manager's lag (bytes)</th><th>every replica (bytes)</th><th>promise</th><th>lag read from</th></tr>");
        foreach (var p in promotions)
        {
            string Value(string key) => Html.Text(p.Parameters.GetValueOrDefault(key) ?? "–");
            var promise = string.Join(" ", new[] { ManagerEventParameters.SynchronousMode, ManagerEventParameters.MaximumLagOnFailover }
                .Where(p.Parameters.ContainsKey)
                .Select(k => $"{k}: {p.Parameters[k]}"));
            html.Append(Inv, $"<tr><td>{Html.Text(p.Target)}</td><td class=\"num\">{Html.Seconds(p.StartMicros)}</td><td class=\"num\">{Value(ManagerEventParameters.LagBytes)}</td><td class=\"num\">{Value(ManagerEventParameters.LagMs)}</td><td>{Value(ManagerEventParameters.MostAdvanced)}</td><td class=\"num\">{Value(ManagerEventParameters.ManagerLagBytes)}</td><td>{Value(ManagerEventParameters.ReplicaLags)}</td><td>{Html.Text(promise.Length == 0 ? "–" : promise)}</td><td class=\"small\">{Value(ManagerEventParameters.LagSource)}</td></tr>");
        }

        html.Append("</table><p class=\"muted small\">Whether each promotion kept the manager's promise is in the durability verdict's evidence (<code>manager-promise</code>).</p>");
    }

    private static void AppendEvents(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"events\">Events</h2>");
        if (run.History is not { } history || history.Events.IsEmpty)
        {
            html.Append("<p class=\"muted\">No events recorded.</p>");
            return;
        }

        html.Append("<table id=\"events-table\"><tr><th class=\"num\">#</th><th>kind</th><th>target</th><th>parameters</th><th class=\"num\">start</th><th class=\"num\">end</th><th class=\"num\">duration</th><th>ok</th></tr>");
        foreach (var e in history.Events)
        {
            var parameters = string.Join(", ", e.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
            var ok = e.Ok switch
            {
                true => "<span class=\"v met\">ok</span>",
                false => "<span class=\"v unmet\">failed</span>" + (e.Error is null ? string.Empty : " " + Html.Text(e.Error)),
                null => "<span class=\"v none\">no end recorded</span>",
            };
            html.Append(Inv, $"<tr><td class=\"num\">{e.Id}</td><td><span style=\"color:{EventPalette.ColorOf(e)}\">■</span> {Html.Word(e.Kind)}</td><td>{Html.Text(e.Target)}</td><td>{Html.Text(parameters)}</td><td class=\"num\">{Html.Seconds(e.StartMicros)}</td><td class=\"num\">{(e.EndMicros is { } end ? Html.Seconds(end) : "–")}</td><td class=\"num\">{(e.EndMicros is { } end2 ? Html.Number((end2 - e.StartMicros) / 1000.0) + " ms" : "–")}</td><td>{ok}</td></tr>");
        }

        html.Append("</table>");
    }

    private static void AppendNodes(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"nodes\">Final state</h2>");
        if (run.FinalState is not { } state)
        {
            html.Append("<p class=\"muted\">No snapshots.json: the nodes were not snapshotted.</p>");
            return;
        }

        html.Append(Inv, $"<p>Final primary: <b>{Html.Text(state.FinalPrimary)}</b>, snapshotted at {Html.Seconds(state.AtMicros)}.</p>");
        html.Append("<table id=\"nodes-table\"><tr><th>node</th><th>reachable</th><th>role</th><th class=\"num\">timeline</th><th>current / flush / replay LSN</th><th class=\"num\">rows</th><th>digest</th><th>error</th></tr>");
        foreach (var n in state.Nodes)
        {
            var lsns = string.Join(" / ", new[] { n.CurrentLsn, n.FlushLsn, n.ReplayLsn }.Select(l => l?.ToString() ?? "–"));
            var digest = n.Digest is { Length: > 12 } d ? d[..12] + "…" : n.Digest;
            html.Append(Inv, $"<tr><td>{Html.Text(n.Node)}</td><td>{(n.Reachable ? "yes" : "<b>no</b>")}</td><td>{Html.Word(n.Role)}</td><td class=\"num\">{n.Timeline?.ToString(Inv) ?? "–"}</td><td><code>{Html.Text(lsns)}</code></td><td class=\"num\">{Html.Number(n.WriteIds.IsDefault ? 0 : n.WriteIds.Length)}</td><td><code title=\"{Html.Text(n.Digest)}\">{Html.Text(digest)}</code></td><td>{Html.Text(n.Error)}</td></tr>");
        }

        html.Append("</table>");
    }

    private static void AppendScenario(StringBuilder html, LoadedRun run)
    {
        if (run.ScenarioYaml is { } yaml)
        {
            html.Append(Inv, $"<h2 id=\"scenario\">Scenario as run</h2><pre>{Html.Text(yaml)}</pre>");
        }
    }

    private static void AppendFiles(StringBuilder html, LoadedRun run)
    {
        html.Append("<h2 id=\"files\">Files</h2><ul id=\"file-links\">");
        var files = new (string Name, string Path, string What)[]
        {
            (HistoryWriter.FileName, run.Folder.HistoryPath, "every operation and event, one JSON line each"),
            (Core.Snapshots.FinalStateStore.FileName, run.Folder.SnapshotsPath, "final state of every node"),
            (RunManifest.FileName, run.Folder.ManifestPath, "what ran, where, and how to replay it"),
            (RunResults.FileName, run.Folder.ResultsPath, "verdicts, expectations and all evidence"),
            (ReplicationSample.FileName, run.Folder.ReplicationPath, "replication lag samples"),
            (RunFolder.ScenarioFileName, run.Folder.ScenarioPath, "the scenario as run"),
        };
        foreach (var (name, path, what) in files.Where(f => File.Exists(f.Path)))
        {
            html.Append(Inv, $"<li><a href=\"{Html.Href(name)}\">{Html.Text(name)}</a> <span class=\"muted\">— {what}</span></li>");
        }

        foreach (var log in run.LogFiles)
        {
            // reaper.log exists only when the run's reaper had to clean up after a harness that died.
            var what = System.IO.Path.GetFileName(log) == "reaper.log" ? "what the run's reaper removed after the harness died" : "node log";
            html.Append(Inv, $"<li><a href=\"{Html.Href(log)}\">{Html.Text(log)}</a> <span class=\"muted\">— {what}</span></li>");
        }

        html.Append("</ul>");
    }
}
