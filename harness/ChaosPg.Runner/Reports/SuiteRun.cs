using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Reports;

/// <summary>Facts about one run that the suite report and the JUnit file both need.</summary>
internal static class SuiteRun
{
    /// <summary>The run's wall time in seconds: from run.json, else the history's span.</summary>
    public static double Seconds(LoadedRun run) =>
        run.Manifest?.Duration?.TotalSeconds ?? (run.History?.EndMicros ?? 0) / 1e6;

    public static string Seed(LoadedRun run) =>
        (run.Manifest?.Seed ?? run.History?.Header?.Seed)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    /// <summary>The evidence behind an unmet expectation or an error, as plain text for CI logs.</summary>
    public static string EvidenceText(LoadedRun run)
    {
        var text = new System.Text.StringBuilder();
        text.Append(run.Reason).Append('\n');
        if (run.Results?.Error is { } error)
        {
            text.Append('\n').Append(error).Append('\n');
        }

        foreach (var problem in run.Problems)
        {
            text.Append("problem: ").Append(problem).Append('\n');
        }

        if (run.Results?.Suite is { } suite)
        {
            text.Append('\n').Append(VerdictTable.Render(suite));
            foreach (var e in suite.Results.SelectMany(r => r.Evidence).Where(e => !e.Notices.IsDefaultOrEmpty).Take(20))
            {
                foreach (var n in e.Notices)
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"notice on {e.Id}: {n.Severity} {n.SqlState}: {n.Message}\n");
                }
            }
        }

        if (run.Manifest?.ReplayCommand is { } replay)
        {
            text.Append("\nreplay: ").Append(replay).Append('\n');
        }

        return SecretRedactor.Redact(text.ToString());
    }
}
