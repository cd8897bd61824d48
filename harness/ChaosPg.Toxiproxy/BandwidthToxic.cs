using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Limits throughput to <see cref="Rate"/> KB/s (1 KB = 1000 bytes); 0 lets nothing through.</summary>
public sealed record BandwidthToxic : Toxic
{
    /// <summary>Rate in KB/s, where 1 KB is 1000 bytes.</summary>
    public long Rate { get; init; }

    public override string Type => "bandwidth";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() => [new("rate", Rate)];
}
