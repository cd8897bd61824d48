using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>A toxic as stored by the embedded server.</summary>
/// <param name="Name">Unique name within the proxy.</param>
/// <param name="Kind">Its type.</param>
/// <param name="StreamText">The stream exactly as the client sent it (echoed back).</param>
/// <param name="Direction">The parsed stream.</param>
/// <param name="Toxicity">Probability that a link applies it.</param>
/// <param name="Values">Attribute values, aligned with <see cref="ToxicKind.Attributes"/>.</param>
internal sealed record ToxicDefinition(
    string Name,
    ToxicKind Kind,
    string StreamText,
    ToxicDirection Direction,
    float Toxicity,
    ImmutableArray<long> Values)
{
    /// <summary>The value of one attribute of this toxic's kind.</summary>
    public long Get(string attribute)
    {
        var index = Kind.IndexOf(attribute);
        return index < 0 ? 0 : Values[index];
    }
}
