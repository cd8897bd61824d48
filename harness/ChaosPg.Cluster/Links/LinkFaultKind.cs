namespace ChaosPg.Cluster.Links;

/// <summary>The faults a link can carry.</summary>
public enum LinkFaultKind
{
    /// <summary>The link is down: new connections are refused and live ones closed.</summary>
    Partition,

    /// <summary>Connections stay open but nothing passes, either way.</summary>
    Blackhole,

    /// <summary>Data is delayed.</summary>
    Latency,

    /// <summary>Throughput is limited.</summary>
    Bandwidth,

    /// <summary>Connections are reset as soon as data moves on them.</summary>
    ResetPeer,

    /// <summary>A share of packets is dropped (kernel network mode only).</summary>
    Loss,
}
