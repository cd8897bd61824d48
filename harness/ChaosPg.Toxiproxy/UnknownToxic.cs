using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>A toxic of a type this client does not know (e.g. from a newer server), kept with its integer attributes.</summary>
public sealed record UnknownToxic(string WireType, ImmutableDictionary<string, long> Attributes) : Toxic
{
    public override string Type => WireType;

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() =>
        [.. Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal)];
}
