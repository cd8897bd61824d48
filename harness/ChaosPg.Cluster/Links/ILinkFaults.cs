using System.Collections.Immutable;

namespace ChaosPg.Cluster.Links;

/// <summary>
/// Faults on a cluster's links, in the cluster's words, whatever applies them: toxics of the proxy network mode
/// (<see cref="LinkFaults"/>) today, kernel rules later. Removal needs no state, tolerates a fault applied only in
/// part, and may run twice.
/// </summary>
public interface ILinkFaults
{
    /// <summary>Every link of <paramref name="node"/>: its client link, its WAL links and those of its replicas.</summary>
    ImmutableArray<string> LinksOf(string node);

    /// <summary>Connections on the link are refused and its live connections closed.</summary>
    Task<LinkFault> PartitionAsync(string link, CancellationToken cancellationToken = default);

    /// <summary>Connections (live and new) stay open and nothing passes.</summary>
    Task<LinkFault> BlackholeAsync(string link, CancellationToken cancellationToken = default);

    /// <summary>Delays traffic by <paramref name="latency"/> ± <paramref name="jitter"/> in each direction chosen.</summary>
    Task<LinkFault> LatencyAsync(string link, TimeSpan latency, TimeSpan jitter, LinkDirection direction, CancellationToken cancellationToken = default);

    /// <summary>Limits each direction chosen to <paramref name="kilobytesPerSecond"/> KB/s (1 KB = 1000 bytes).</summary>
    Task<LinkFault> BandwidthAsync(string link, int kilobytesPerSecond, LinkDirection direction, CancellationToken cancellationToken = default);

    /// <summary>A connection is reset as soon as data moves on it.</summary>
    Task<LinkFault> ResetPeerAsync(string link, CancellationToken cancellationToken = default);

    /// <summary>Removes one fault; a fault that is absent or only partly there is fine.</summary>
    Task RemoveAsync(LinkFault fault, CancellationToken cancellationToken = default);

    /// <summary>Removes every fault from every link.</summary>
    Task HealAsync(CancellationToken cancellationToken = default);
}
