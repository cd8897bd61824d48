using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Delays each chunk by <see cref="Latency"/> ± <see cref="Jitter"/> milliseconds.</summary>
public sealed record LatencyToxic : Toxic
{
    /// <summary>Added delay in milliseconds.</summary>
    public long Latency { get; init; }

    /// <summary>Uniform variation around the delay, in milliseconds.</summary>
    public long Jitter { get; init; }

    public override string Type => "latency";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() =>
        [new("latency", Latency), new("jitter", Jitter)];
}
