using System.Globalization;

namespace ChaosPg.Core.Schedule;

/// <summary>Reads and writes the duration notation of scenario files: a whole number with a unit, <c>500ms</c>, <c>5s</c>, <c>2m</c>.</summary>
public static class DurationText
{
    /// <summary>What a duration must look like, for error messages.</summary>
    public const string Expected = "a whole number followed by ms, s or m (e.g. 500ms, 5s, 2m)";

    /// <summary>Parses <paramref name="text"/>; false when it is not exactly a whole number and a unit.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        // Ten digits keep every unit inside TimeSpan's range (and cover every int of milliseconds).
        if (digits == 0 || digits > 10)
        {
            return false;
        }

        long number = long.Parse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
        switch (text[digits..])
        {
            case "ms":
                value = TimeSpan.FromMilliseconds(number);
                return true;
            case "s":
                value = TimeSpan.FromSeconds(number);
                return true;
            case "m":
                value = TimeSpan.FromMinutes(number);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Formats a whole number of milliseconds in the largest unit that divides it exactly.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero || value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Durations are whole, non-negative milliseconds.");
        }

        long ms = value.Ticks / TimeSpan.TicksPerMillisecond;
        if (ms != 0 && ms % 60_000 == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{ms / 60_000}m");
        }

        return ms % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1000}s")
            : string.Create(CultureInfo.InvariantCulture, $"{ms}ms");
    }

    /// <summary>Formats any time for a message: in scenario notation when it is whole milliseconds.</summary>
    public static string Show(TimeSpan value) => IsWholeMilliseconds(value) ? Format(value) : value.ToString();

    /// <summary>True when <paramref name="value"/> can be written without losing precision.</summary>
    public static bool IsWholeMilliseconds(TimeSpan value) =>
        value >= TimeSpan.Zero && value.Ticks % TimeSpan.TicksPerMillisecond == 0;
}
