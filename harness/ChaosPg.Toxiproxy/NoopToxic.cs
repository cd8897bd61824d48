using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Passes data through unchanged.</summary>
public sealed record NoopToxic : Toxic
{
    public override string Type => "noop";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() => [];
}
