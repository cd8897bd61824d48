using System.Globalization;
using System.Net;

namespace ChaosPg.Runner.Reports;

/// <summary>Encoding for text bound for a report: every piece of run data passes here, redacted then HTML-encoded.</summary>
internal static class Html
{
    /// <summary>Redacts secrets and HTML-encodes <paramref name="text"/> (quotes included, so it is safe in attributes).</summary>
    public static string Text(string? text) =>
        text is null ? string.Empty : WebUtility.HtmlEncode(SecretRedactor.Redact(text));

    /// <summary>A relative link target: each path segment percent-encoded.</summary>
    public static string Href(string relativePath) =>
        string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    public static string Number(double value, string format = "0.###") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A history time (microseconds since run start) as seconds with milliseconds.</summary>
    public static string Seconds(long micros) =>
        (micros / 1_000_000.0).ToString("0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>An enum value in the kebab spelling of the history files ("wait-converged").</summary>
    public static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
