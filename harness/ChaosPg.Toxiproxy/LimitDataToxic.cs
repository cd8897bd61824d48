using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Passes at most <see cref="Bytes"/> bytes over the life of a link, then closes the connection.</summary>
public sealed record LimitDataToxic : Toxic
{
    /// <summary>Bytes allowed through before the close.</summary>
    public long Bytes { get; init; }

    public override string Type => "limit_data";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() => [new("bytes", Bytes)];
}
