using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>A partial toxic update: the attributes sent are merged into the current ones; a null toxicity keeps the current value.</summary>
/// <param name="Attributes">Attribute keys and values to change.</param>
/// <param name="Toxicity">New toxicity, or null to keep it.</param>
public sealed record ToxicUpdate(ImmutableDictionary<string, long> Attributes, float? Toxicity = null)
{
    /// <summary>An update that sends every attribute of a typed toxic (and its toxicity when set).</summary>
    public static ToxicUpdate From(Toxic toxic)
    {
        ArgumentNullException.ThrowIfNull(toxic);
        return new ToxicUpdate(toxic.GetAttributes().ToImmutableDictionary(), toxic.Toxicity);
    }
}
