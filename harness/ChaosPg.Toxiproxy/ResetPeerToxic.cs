using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Resets the connection (TCP RST) <see cref="Timeout"/> milliseconds after the first data arrives.</summary>
public sealed record ResetPeerToxic : Toxic
{
    /// <summary>Milliseconds between the first data and the reset.</summary>
    public long Timeout { get; init; }

    public override string Type => "reset_peer";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() => [new("timeout", Timeout)];
}
