using System.Collections.Immutable;

namespace ChaosPg.Cluster.Links;

/// <summary>
/// Faults on a cluster's links, whatever carries them: Toxiproxy (<see cref="LinkFaults"/>) or the kernel
/// (<see cref="Networks.Kernel.KernelLinkFaults"/>). Removal needs only the link and kind, tolerates a fault applied
/// in part and may run twice.
/// </summary>
public interface ILinkFaults
{
    /// <summary>Every link of <paramref name="node"/> (names that start or end with it), including links a promotion left unused.</summary>
    ImmutableArray<string> LinksOf(string node);

    /// <summary>How <paramref name="kind"/> is applied, for the history's <c>method</c>, e.g. <c>toxiproxy-disable</c> or <c>iptables-drop</c>.</summary>
    string Mechanism(LinkFaultKind kind);

    /// <summary>Takes the link down in <paramref name="direction"/> (one-way where the network mode can).</summary>
    Task<LinkFault> PartitionAsync(string link, LinkDirection direction, CancellationToken cancellationToken = default);

    /// <summary>Connections stay open and nothing passes, either way.</summary>
    Task<LinkFault> BlackholeAsync(string link, CancellationToken cancellationToken = default);

    /// <summary>Delays data in each direction chosen.</summary>
    Task<LinkFault> LatencyAsync(string link, TimeSpan latency, TimeSpan jitter, LinkDirection direction, CancellationToken cancellationToken = default);

    /// <summary>Limits each direction chosen to <paramref name="kilobytesPerSecond"/> KB/s (1 KB = 1000 bytes).</summary>
    Task<LinkFault> BandwidthAsync(string link, int kilobytesPerSecond, LinkDirection direction, CancellationToken cancellationToken = default);

    /// <summary>Connections are reset (TCP RST) as soon as data moves on them.</summary>
    Task<LinkFault> ResetPeerAsync(string link, CancellationToken cancellationToken = default);

    /// <summary>Drops each packet with <paramref name="probability"/> in each direction chosen.</summary>
    Task<LinkFault> LossAsync(string link, double probability, LinkDirection direction, CancellationToken cancellationToken = default);

    /// <summary>Removes one fault; a fault that is absent or only partly there is fine.</summary>
    Task RemoveAsync(LinkFault fault, CancellationToken cancellationToken = default);

    /// <summary>Removes every fault from every link.</summary>
    Task HealAsync(CancellationToken cancellationToken = default);
}
