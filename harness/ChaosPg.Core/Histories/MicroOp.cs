using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>
/// One micro-operation of a list-append transaction: <c>["append", key, value]</c> or <c>["r", key, [values]]</c> in a
/// history file, the spelling of Elle's list-append histories.
/// </summary>
/// <param name="Value">For an append: the value appended (unique per key across the run).</param>
/// <param name="Values">For a read: the list the read returned, in list order; default when not (yet) known, e.g. in an invoke line.</param>
[JsonConverter(typeof(MicroOpJsonConverter))]
public readonly record struct MicroOp(MicroOpKind Kind, long Key, long Value, ImmutableArray<long> Values)
{
    /// <summary>An append of <paramref name="value"/> to the list of <paramref name="key"/>.</summary>
    public static MicroOp Append(long key, long value) => new(MicroOpKind.Append, key, value, default);

    /// <summary>A read of <paramref name="key"/>; <paramref name="values"/> is default for a read not yet done.</summary>
    public static MicroOp Read(long key, ImmutableArray<long> values = default) => new(MicroOpKind.Read, key, 0, values);

    /// <summary>True for a read whose result is recorded.</summary>
    public bool HasValues => Kind == MicroOpKind.Read && !Values.IsDefault;

    public bool Equals(MicroOp other) =>
        Kind == other.Kind && Key == other.Key && Value == other.Value
        && Values.IsDefault == other.Values.IsDefault && (Values.IsDefault || Values.AsSpan().SequenceEqual(other.Values.AsSpan()));

    public override int GetHashCode() => HashCode.Combine(Kind, Key, Value, Values.IsDefault ? -1 : Values.Length);

    public override string ToString() => Kind == MicroOpKind.Append
        ? FormattableString.Invariant($"append {Key} {Value}")
        : FormattableString.Invariant($"r {Key} {(Values.IsDefault ? "?" : "[" + string.Join(' ', Values) + "]")}");
}
