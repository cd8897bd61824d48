using System.Globalization;

namespace ChaosPg.Core.Checkers;

/// <summary>Conversions of history times (microseconds since run start) for figures and summaries.</summary>
public static class Micros
{
    public static double ToMs(long micros) => micros / 1000.0;

    public static string Seconds(long micros) => (micros / 1_000_000.0).ToString("0.000", CultureInfo.InvariantCulture) + "s";

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
