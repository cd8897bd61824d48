using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Delays passing on the close of the connection by <see cref="Delay"/> milliseconds.</summary>
public sealed record SlowCloseToxic : Toxic
{
    /// <summary>Delay of the close in milliseconds.</summary>
    public long Delay { get; init; }

    public override string Type => "slow_close";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() => [new("delay", Delay)];
}
