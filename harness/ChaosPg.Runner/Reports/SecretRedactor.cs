using System.Text.RegularExpressions;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// Masks passwords in text bound for a report. Run folders should hold no secret; this is the defence for one that
/// slipped into an error message or a log line (a connection string, a libpq conninfo).
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>The text that replaces a secret value.</summary>
    public const string Mask = "***";

    /// <summary>Replaces the value of every <c>password=...</c>, <c>pwd=...</c> or <c>PGPASSWORD=...</c> (any case, quoted or not) with <see cref="Mask"/>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('p', StringComparison.OrdinalIgnoreCase)
            ? SecretPattern().Replace(text, m => m.Groups["key"].Value + Mask)
            : text;
    }

    [GeneratedRegex("""(?<key>\b(?:pg)?(?:password|passwd|pwd)\s*[=:]\s*)(?:"[^"]*"|'[^']*'|[^\s;,&"'<>]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();
}
