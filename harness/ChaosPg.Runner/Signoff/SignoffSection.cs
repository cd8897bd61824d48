using System.Globalization;
using System.Text;
using ChaosPg.Runner.Reports;

namespace ChaosPg.Runner.Signoff;

/// <summary>The suite index's sign-off section: figures per replication mode, unmet expectations, environment, signature block.</summary>
internal static class SignoffSection
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(SignoffSummary summary)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append(Inv, $"""
            <h2 id="signoff">Sign-off summary</h2>
            <p class="muted small">Worst case over every run of each replication mode. RPO: acknowledged writes lost on the final primary
            (durability checker). RTO: from the first fault on the primary to the first acknowledged write after it (availability checker).
            Converge: from the last heal to every replica converged (convergence checker). A dash: no run measured it.</p>
            <table id="signoff-modes"><tr><th>replication</th><th class="num">runs</th><th class="num">worst RPO (lost writes)</th><th class="num">widest loss window</th>
            <th class="num">RTO median</th><th class="num">RTO worst</th><th class="num">converge median</th><th class="num">converge worst</th></tr>
            """);
        foreach (var mode in summary.Modes)
        {
            html.Append(Inv, $"<tr><td>{Html.Text(mode.Mode)}</td><td class=\"num\">{mode.Runs}</td><td class=\"num\">{(mode.WorstLostWrites is { } lost ? Html.Number(lost) : "—")}</td>");
            foreach (var ms in new[] { mode.WidestLossWindowMs, mode.RtoMedianMs, mode.RtoWorstMs, mode.ConvergenceMedianMs, mode.ConvergenceWorstMs })
            {
                html.Append(Inv, $"<td class=\"num\">{(ms is { } v ? Html.Number(v, "0") + " ms" : "—")}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table><h3 id=\"signoff-unmet\">Unmet expectations</h3>");
        if (summary.Unmet.IsEmpty)
        {
            html.Append("<p>None: every run met every expectation.</p>");
        }
        else
        {
            html.Append("<table id=\"signoff-unmet-table\"><tr><th>scenario</th><th>seed</th><th>checker</th><th>evidence</th><th>replay</th></tr>");
            foreach (var unmet in summary.Unmet)
            {
                var seed = unmet.Seed?.ToString(Inv) ?? "?";
                html.Append(Inv, $"<tr><td>{Html.Text(unmet.Scenario)}</td><td>{seed}</td><td>{Html.Text(unmet.Checker)}</td><td>{Html.Text(unmet.Evidence)}</td><td><code class=\"cmd\">{Html.Text(unmet.ReplayCommand)}</code></td></tr>");
            }

            html.Append("</table>");
        }

        var environment = summary.Environment;
        var started = environment.StartedUtc?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv) ?? "unknown";
        html.Append(Inv, $"""
            <h3 id="signoff-environment">Environment</h3>
            <table class="meta"><tr><th>PostgreSQL</th><td>{Html.Text(string.Join(", ", environment.PostgresVersions))}</td></tr>
            <tr><th>Backend</th><td>{Html.Text(string.Join(", ", environment.Backends))}</td></tr>
            <tr><th>Git commit</th><td>{Html.Text(string.Join(", ", environment.GitCommits))}</td></tr>
            <tr><th>Proxy</th><td>{Html.Text(string.Join(", ", environment.ProxyKinds))}</td></tr>
            <tr><th>Date</th><td>{started}</td></tr></table>
            <h3 id="signature">Signature</h3>
            <table class="meta" id="signature-block"><tr><th>Release</th><td>&nbsp;</td></tr><tr><th>Signed by</th><td>&nbsp;</td></tr><tr><th>Date</th><td>&nbsp;</td></tr></table>
            """);
        return html.ToString();
    }
}
