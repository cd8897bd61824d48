using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;

namespace ChaosPg.Core;

/// <summary>A PostgreSQL write-ahead log position (pg_lsn), written as "X/Y" in hex like the server prints it.</summary>
[JsonConverter(typeof(LsnJsonConverter))]
public readonly record struct Lsn(ulong Value) : IComparable<Lsn>
{
    public static Lsn Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var lsn) ? lsn : throw new FormatException($"'{text}' is not an LSN (expected hex 'X/Y').");
    }

    public static bool TryParse(string? text, out Lsn lsn) => TryParse(text.AsSpan(), out lsn);

    /// <summary>Parses "X/Y" from chars.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Lsn lsn) => TryParse<char>(text, out lsn);

    /// <summary>Parses "X/Y" from UTF-8 bytes, as a history file holds it, without making a string.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Lsn lsn) => TryParse<byte>(utf8, out lsn);

    private static bool TryParse<TChar>(ReadOnlySpan<TChar> text, out Lsn lsn)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        lsn = default;
        var slash = text.IndexOf(TChar.CreateTruncating('/'));
        if (slash <= 0 || slash == text.Length - 1
            || !TryParseHex(text[..slash], out var high)
            || !TryParseHex(text[(slash + 1)..], out var low))
        {
            return false;
        }

        lsn = new Lsn(((ulong)high << 32) | low);
        return true;
    }

    // Hex digits of 32 bits, as uint.TryParse with AllowHexSpecifier reads them (leading zeros allowed, nothing else).
    private static bool TryParseHex<TChar>(ReadOnlySpan<TChar> digits, out uint value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0;
        foreach (var c in digits)
        {
            var ch = int.CreateTruncating(c);
            var lower = ch | 0x20;
            var digit = ch is >= '0' and <= '9' ? ch - '0' : lower is >= 'a' and <= 'f' ? lower - 'a' + 10 : -1;
            if (digit < 0 || value > 0x0FFF_FFFF)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return !digits.IsEmpty;
    }

    public int CompareTo(Lsn other) => Value.CompareTo(other.Value);

    public static bool operator <(Lsn left, Lsn right) => left.Value < right.Value;

    public static bool operator >(Lsn left, Lsn right) => left.Value > right.Value;

    public static bool operator <=(Lsn left, Lsn right) => left.Value <= right.Value;

    public static bool operator >=(Lsn left, Lsn right) => left.Value >= right.Value;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}");
}
