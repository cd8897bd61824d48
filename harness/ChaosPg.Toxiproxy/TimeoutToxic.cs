using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Drops all data and closes the connection after <see cref="Timeout"/> milliseconds (never when 0).</summary>
public sealed record TimeoutToxic : Toxic
{
    /// <summary>Milliseconds before the connection is closed; 0 holds it open for ever.</summary>
    public long Timeout { get; init; }

    public override string Type => "timeout";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() => [new("timeout", Timeout)];
}
