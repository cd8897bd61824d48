using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// The suite report's "managers compared" section: one row per scenario (its fault schedule) that ran under two or
/// more HA managers, one column group per manager, built from the run folders alone (run.json's manager,
/// results.json's figures and verdicts, the history's promotions), so <c>chaospg report</c> rebuilds it.
/// </summary>
public static class ManagersComparison
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The column headings of each manager's group, in the order <see cref="Cell"/> fills them.</summary>
    public static readonly IReadOnlyList<string> Headings = ["runs", "RTO median", "RTO max", "lost (max)", "split brain (max)", "promoted", "verdicts"];

    /// <summary>One manager's runs of one scenario, summed up.</summary>
    /// <param name="Runs">The runs, in suite order.</param>
    /// <param name="RtoMedianMs">Median RTO over the runs that measured one; null when none did.</param>
    /// <param name="RtoMaxMs">Longest RTO measured.</param>
    /// <param name="LostMax">Most acknowledged writes lost in one run; null when no run judged durability.</param>
    /// <param name="SplitBrainMaxMs">Longest window with two writable primaries in one run; null when none had one.</param>
    /// <param name="Promoted">The node each run's first promotion chose, with how many runs chose it, in name order.</param>
    /// <param name="MostAdvanced">Runs whose promotion is recorded as having chosen the most advanced replica, of those recording it.</param>
    /// <param name="Unmet">Runs with an unmet expectation or an error.</param>
    /// <param name="Invalid">Each checker found invalid, with how many runs found it so.</param>
    public sealed record Cell(
        ImmutableArray<LoadedRun> Runs,
        double? RtoMedianMs,
        double? RtoMaxMs,
        long? LostMax,
        double? SplitBrainMaxMs,
        ImmutableSortedDictionary<string, int> Promoted,
        (int Yes, int Known) MostAdvanced,
        int Unmet,
        ImmutableSortedDictionary<string, int> Invalid);

    /// <summary>One scenario's cells, by manager.</summary>
    public sealed record Row(string Scenario, ImmutableDictionary<string, Cell> ByManager);

    /// <summary>The managers in the order the suite first ran them, and the rows of scenarios run under two or more; no rows when there is nothing to compare.</summary>
    public static (ImmutableArray<string> Managers, ImmutableArray<Row> Rows) Of(IReadOnlyList<LoadedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ImmutableArray<string> managers = [.. runs.Select(Manager).Distinct(StringComparer.Ordinal)];
        var rows = runs
            .GroupBy(r => r.ScenarioName, StringComparer.Ordinal)
            .Where(g => g.Select(Manager).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => new Row(g.Key, g.GroupBy(Manager, StringComparer.Ordinal).ToImmutableDictionary(m => m.Key, m => Summarize([.. m]), StringComparer.Ordinal)))
            .ToImmutableArray();
        return rows.IsEmpty ? ([], []) : (managers, rows);
    }

    /// <summary>The section's HTML, or an empty string when no scenario ran under two managers; links are relative to <paramref name="suitePath"/>.</summary>
    public static string Render(string suitePath, IReadOnlyList<LoadedRun> runs, Func<string, LoadedRun, string, string> link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var (managers, rows) = Of(runs);
        if (rows.IsEmpty)
        {
            return string.Empty;
        }

        var html = new StringBuilder(8 * 1024);
        html.Append("""
            <h2 id="managers-compared">Managers compared</h2>
            <p class="muted small">The same scenario (fault schedule and seeds) run under each HA manager and judged by the same
            checkers. RTO: from the first failed write to the first write the new primary acknowledged, median and max over the
            runs. Lost: acknowledged writes missing from the final primary, the most in one run. Split brain: the longest window
            in which two nodes accepted writes. Promoted: the node each run's first promotion chose (most advanced n/m: chosen as the most
            advanced replica in n of the m runs that recorded it). Verdicts: checkers found invalid, with their run counts; each
            run number links to its report.</p>
            <table id="managers-table"><tr><th rowspan="2">scenario</th>
            """);
        foreach (var manager in managers)
        {
            html.Append(Inv, $"<th colspan=\"{Headings.Count}\" class=\"manager\">{Html.Text(manager)}</th>");
        }

        html.Append("</tr><tr>");
        foreach (var _ in managers)
        {
            foreach (var heading in Headings)
            {
                html.Append(Inv, $"<th>{Html.Text(heading)}</th>");
            }
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append(Inv, $"<tr data-scenario=\"{Html.Text(row.Scenario)}\"><td>{Html.Text(row.Scenario)}</td>");
            foreach (var manager in managers)
            {
                if (!row.ByManager.TryGetValue(manager, out var cell))
                {
                    html.Append(Inv, $"<td colspan=\"{Headings.Count}\" class=\"muted\">not run</td>");
                    continue;
                }

                var links = string.Join(" ", cell.Runs.Select((r, i) => link(suitePath, r, (i + 1).ToString(Inv))));
                var promoted = cell.Promoted.IsEmpty ? "none" : string.Join(", ", cell.Promoted.Select(p => $"{p.Key} x{p.Value}"));
                if (cell.MostAdvanced.Known > 0)
                {
                    promoted += string.Create(Inv, $" (most advanced {cell.MostAdvanced.Yes}/{cell.MostAdvanced.Known})");
                }

                var verdicts = cell.Invalid.IsEmpty ? "none invalid" : string.Join(", ", cell.Invalid.Select(v => $"{v.Key} x{v.Value}"));
                var state = cell.Unmet == 0 ? "met" : "unmet";
                var expectations = cell.Unmet == 0 ? "all met" : string.Create(Inv, $"{cell.Unmet} unmet");
                html.Append(Inv, $"""
                    <td data-manager="{Html.Text(manager)}" data-figure="runs">{cell.Runs.Length}: {links}</td><td class="num" data-figure="rto-median">{Seconds(cell.RtoMedianMs)}</td><td class="num" data-figure="rto-max">{Seconds(cell.RtoMaxMs)}</td><td class="num" data-figure="lost">{(cell.LostMax is { } lost ? Html.Number(lost) : "–")}</td><td class="num" data-figure="split-brain">{Seconds(cell.SplitBrainMaxMs)}</td><td data-figure="promoted">{Html.Text(promoted)}</td><td data-figure="verdicts"><span class="v {state}">{Html.Text(verdicts)}</span><br><span class="small">{expectations}</span></td>
                    """);
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        return html.ToString();
    }

    private static string Manager(LoadedRun run) => run.Manifest?.ManagerName ?? "none";

    private static Cell Summarize(ImmutableArray<LoadedRun> runs)
    {
        var rtos = runs.Select(r => KeyFigures.Of(r).RtoMs).OfType<double>().Order().ToList();
        var lost = runs.Select(r => KeyFigures.Of(r).Lost).OfType<long>().ToList();
        var overlaps = runs.Select(r => r.Results?.Suite?.Find("split-brain")?.Figures.TryGetValue("overlapMs", out var v) == true ? v : (double?)null).OfType<double>().ToList();
        var promotions = runs.Select(FirstPromotion).OfType<RecordedEvent>().ToList();
        var advanced = promotions.Select(p => p.Parameters.TryGetValue("most-advanced", out var v) ? v : null).OfType<string>().ToList();
        return new Cell(
            runs,
            rtos.Count == 0 ? null : Median(rtos),
            rtos.Count == 0 ? null : rtos[^1],
            lost.Count == 0 ? null : lost.Max(),
            overlaps.Count == 0 ? null : overlaps.Max(),
            promotions.GroupBy(p => p.Target, StringComparer.Ordinal).ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            (advanced.Count(v => v == "true"), advanced.Count),
            runs.Count(r => r.Outcome != RunOutcome.Passed),
            runs.SelectMany(r => r.Results?.Suite?.Results.Where(c => c.Verdict == Verdict.Invalid).Select(c => c.Checker) ?? [])
                .GroupBy(c => c, StringComparer.Ordinal)
                .ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }

    // The first promotion after the run started, whoever made it (the manager, or the scenario under none).
    private static RecordedEvent? FirstPromotion(LoadedRun run) =>
        run.History?.Events.Where(e => e.Kind == EventKind.Promote && e.Ok != false).OrderBy(e => e.StartMicros).FirstOrDefault();

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Seconds(double? ms) => ms is { } value ? Html.Number(value / 1000, "0.00") + " s" : "–";
}
