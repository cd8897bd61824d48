using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>A toxic as sent to or read from the Toxiproxy API; one derived record per toxic type.</summary>
public abstract record Toxic
{
    /// <summary>The toxic's name; when null on create the server names it <c>&lt;type&gt;_&lt;stream&gt;</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The direction the toxic acts on.</summary>
    public ToxicDirection Stream { get; init; } = ToxicDirection.Downstream;

    /// <summary>Probability (0..1) that the toxic applies to a link; left out of requests when null (the server then uses 1).</summary>
    public float? Toxicity { get; init; }

    /// <summary>The wire type name, e.g. <c>latency</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The integer attributes in wire order.</summary>
    public abstract ImmutableArray<KeyValuePair<string, long>> GetAttributes();

    /// <summary>Builds the typed toxic for a wire type from its attributes (missing keys are 0).</summary>
    internal static Toxic Create(string type, IReadOnlyDictionary<string, long> attributes)
    {
        long Get(string key) => attributes.TryGetValue(key, out var value) ? value : 0;
        return type switch
        {
            "latency" => new LatencyToxic { Latency = Get("latency"), Jitter = Get("jitter") },
            "bandwidth" => new BandwidthToxic { Rate = Get("rate") },
            "slow_close" => new SlowCloseToxic { Delay = Get("delay") },
            "timeout" => new TimeoutToxic { Timeout = Get("timeout") },
            "reset_peer" => new ResetPeerToxic { Timeout = Get("timeout") },
            "slicer" => new SlicerToxic
            {
                AverageSize = Get("average_size"),
                SizeVariation = Get("size_variation"),
                Delay = Get("delay"),
            },
            "limit_data" => new LimitDataToxic { Bytes = Get("bytes") },
            "noop" => new NoopToxic(),
            _ => new UnknownToxic(type, attributes.ToImmutableDictionary()),
        };
    }
}
