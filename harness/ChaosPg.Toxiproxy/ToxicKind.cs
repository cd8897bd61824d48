using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>One toxic type of the Toxiproxy API: its wire name, its Go struct name and its integer attributes in wire order.</summary>
internal sealed class ToxicKind
{
    public static readonly ToxicKind Latency = new("latency", "LatencyToxic", "latency", "jitter");
    public static readonly ToxicKind Bandwidth = new("bandwidth", "BandwidthToxic", "rate");
    public static readonly ToxicKind SlowClose = new("slow_close", "SlowCloseToxic", "delay");
    public static readonly ToxicKind Timeout = new("timeout", "TimeoutToxic", "timeout");
    public static readonly ToxicKind ResetPeer = new("reset_peer", "ResetToxic", "timeout");
    public static readonly ToxicKind Slicer = new("slicer", "SlicerToxic", "average_size", "size_variation", "delay") { AttributeGoType = "int" };
    public static readonly ToxicKind LimitData = new("limit_data", "LimitDataToxic", "bytes");
    public static readonly ToxicKind Noop = new("noop", "NoopToxic");

    private static readonly ImmutableArray<ToxicKind> All =
        [Latency, Bandwidth, SlowClose, Timeout, ResetPeer, Slicer, LimitData, Noop];

    private ToxicKind(string type, string goStruct, params string[] attributes)
    {
        Type = type;
        GoStruct = goStruct;
        Attributes = [.. attributes];
    }

    /// <summary>The wire name, e.g. <c>latency</c>.</summary>
    public string Type { get; }

    /// <summary>The Go struct name that Toxiproxy names in its attribute decoding errors.</summary>
    public string GoStruct { get; }

    /// <summary>The Go type of the attributes, named in decoding errors: <c>int64</c>, but plain <c>int</c> for the slicer.</summary>
    public string AttributeGoType { get; private init; } = "int64";

    /// <summary>Attribute keys in the order Toxiproxy serializes them.</summary>
    public ImmutableArray<string> Attributes { get; }

    /// <summary>The kind with this exact (case-sensitive) wire name, or null.</summary>
    public static ToxicKind? Find(string type)
    {
        foreach (var kind in All)
        {
            if (string.Equals(kind.Type, type, StringComparison.Ordinal))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The position of an attribute key, or -1 when this kind has no such attribute.</summary>
    public int IndexOf(string attribute) => Attributes.IndexOf(attribute, StringComparer.Ordinal);
}
