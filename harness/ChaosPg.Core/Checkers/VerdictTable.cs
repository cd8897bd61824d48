using System.Globalization;
using System.Text;

namespace ChaosPg.Core.Checkers;

/// <summary>Renders a <see cref="SuiteResult"/> as a plain-text table for terminals and CI logs.</summary>
public static class VerdictTable
{
    /// <summary>One row per checker, then up to <paramref name="evidencePerChecker"/> evidence lines per non-valid checker.</summary>
    public static string Render(SuiteResult result, int evidencePerChecker = 10)
    {
        ArgumentNullException.ThrowIfNull(result);
        var width = Math.Max("checker".Length, result.Results.Select(r => r.Checker.Length).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"checker".PadRight(width)}  {"verdict",-8} summary\n");
        foreach (var r in result.Results)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Checker.PadRight(width)}  {Word(r.Verdict),-8} {r.Summary}\n");
        }

        foreach (var r in result.Results.Where(r => r.Verdict != Verdict.Valid))
        {
            if (r.Evidence.IsEmpty)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"\n{r.Checker} ({r.Evidence.Length} items):\n");
            foreach (var e in r.Evidence.Take(evidencePerChecker))
            {
                var window = e.LatestEvent is { } latest
                    ? string.Create(CultureInfo.InvariantCulture, $" [after {Word(latest.Kind)} {latest.Target} #{latest.Id}{(e.ActiveEvents.IsEmpty ? string.Empty : "; during " + string.Join(", ", e.ActiveEvents.Select(a => Word(a.Kind) + " " + a.Target)))}]")
                    : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"  {e.Id}: {e.What}{window}\n");
            }

            if (r.Evidence.Length > evidencePerChecker)
            {
                text.Append(CultureInfo.InvariantCulture, $"  ... {r.Evidence.Length - evidencePerChecker} more\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"\nverdict: {Word(result.Verdict)}\n");
        return text.ToString();
    }

    private static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
