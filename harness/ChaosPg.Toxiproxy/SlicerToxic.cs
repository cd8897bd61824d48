using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>Splits data into pieces of about <see cref="AverageSize"/> ± <see cref="SizeVariation"/> bytes, <see cref="Delay"/> µs apart.</summary>
public sealed record SlicerToxic : Toxic
{
    /// <summary>Average piece size in bytes (must be positive).</summary>
    public long AverageSize { get; init; }

    /// <summary>Variation of the piece size in bytes (must be below the average size).</summary>
    public long SizeVariation { get; init; }

    /// <summary>Delay between pieces in microseconds.</summary>
    public long Delay { get; init; }

    public override string Type => "slicer";

    public override ImmutableArray<KeyValuePair<string, long>> GetAttributes() =>
        [new("average_size", AverageSize), new("size_variation", SizeVariation), new("delay", Delay)];
}
