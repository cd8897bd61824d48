using System.Collections.Immutable;
using System.Net;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Links;

/// <summary>
/// Faults on the links of a <see cref="ToxiproxyLinkRouter"/>, in the cluster's words. Each toxic is named
/// <c>chaospg-&lt;fault&gt;-&lt;stream&gt;</c>, so a fault is found again from its link and kind alone: removal
/// needs no state, tolerates a fault applied only in part, and may run twice.
/// </summary>
public sealed class LinkFaults : ILinkFaults
{
    private readonly ToxiproxyLinkRouter router;

    public LinkFaults(ToxiproxyLinkRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        this.router = router;
    }

    /// <summary>
    /// Every routed link of <paramref name="node"/>: its client link, its WAL links and those of its replicas (names
    /// that start or end with the node). Includes links a promotion left unused.
    /// </summary>
    public ImmutableArray<string> LinksOf(string node)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        return [.. router.Links.Select(l => l.Link).Where(link => link.StartsWith(node + "->", StringComparison.Ordinal) || link.EndsWith("->" + node, StringComparison.Ordinal))];
    }

    /// <inheritdoc/>
    public string Mechanism(LinkFaultKind kind) => kind switch
    {
        LinkFaultKind.Partition => "toxiproxy-disable",
        LinkFaultKind.Blackhole => "toxiproxy-timeout",
        LinkFaultKind.Latency => "toxiproxy-latency",
        LinkFaultKind.Bandwidth => "toxiproxy-bandwidth",
        LinkFaultKind.ResetPeer => "toxiproxy-reset-peer",
        _ => "none",
    };

    /// <summary>A relay cannot cut one direction of a TCP connection: only <see cref="LinkDirection.Both"/> is accepted.</summary>
    public Task<LinkFault> PartitionAsync(string link, LinkDirection direction, CancellationToken cancellationToken = default) =>
        direction == LinkDirection.Both
            ? PartitionAsync(link, cancellationToken)
            : throw new NotSupportedException("a one-way partition needs network: kernel; Toxiproxy relays TCP and can only cut both directions");

    /// <summary>Toxiproxy relays TCP and never sees a packet to drop.</summary>
    public Task<LinkFault> LossAsync(string link, double probability, LinkDirection direction, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("packet loss needs network: kernel; Toxiproxy relays TCP and never sees a packet to drop");

    /// <summary>Disables the link's proxy: its listener closes (connections are refused) and its live connections are closed.</summary>
    public async Task<LinkFault> PartitionAsync(string link, CancellationToken cancellationToken = default)
    {
        await router.Client.UpdateProxyAsync(router[link].ProxyName, new ProxyUpdate(Enabled: false), cancellationToken).ConfigureAwait(false);
        return new LinkFault(link, LinkFaultKind.Partition);
    }

    /// <summary>
    /// A timeout toxic with timeout 0 on both streams: connections (live and new) stay open and nothing passes. When
    /// the fault is removed, Toxiproxy closes the connections the toxic held.
    /// </summary>
    public Task<LinkFault> BlackholeAsync(string link, CancellationToken cancellationToken = default) =>
        AddAsync(link, LinkFaultKind.Blackhole, LinkDirection.Both, () => new TimeoutToxic { Timeout = 0 }, cancellationToken);

    /// <summary>Delays each chunk by <paramref name="latency"/> ± <paramref name="jitter"/> in each direction chosen (both: that much each way).</summary>
    public Task<LinkFault> LatencyAsync(string link, TimeSpan latency, TimeSpan jitter, LinkDirection direction, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        return AddAsync(
            link,
            LinkFaultKind.Latency,
            direction,
            () => new LatencyToxic { Latency = (long)latency.TotalMilliseconds, Jitter = (long)jitter.TotalMilliseconds },
            cancellationToken);
    }

    /// <summary>Limits each direction chosen to <paramref name="kilobytesPerSecond"/> KB/s (1 KB = 1000 bytes).</summary>
    public Task<LinkFault> BandwidthAsync(string link, int kilobytesPerSecond, LinkDirection direction, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(kilobytesPerSecond, 0);
        return AddAsync(link, LinkFaultKind.Bandwidth, direction, () => new BandwidthToxic { Rate = kilobytesPerSecond }, cancellationToken);
    }

    /// <summary>
    /// A reset_peer toxic with timeout 0 on both streams: a connection is reset as soon as data moves on it, so new
    /// connections fail at their first packet and live ones at their next one. Live connections are not closed up
    /// front: an idle one sees the fault when it is next used, which is when a client can tell anyway, and toggling the
    /// proxy to drop them would refuse connections for a moment (a partition, not a reset). Toxiproxy sends RST to
    /// connections accepted while the toxic is on; to a connection already open, Toxiproxy 2.12 sends FIN and the
    /// embedded server RST.
    /// </summary>
    public Task<LinkFault> ResetPeerAsync(string link, CancellationToken cancellationToken = default) =>
        AddAsync(link, LinkFaultKind.ResetPeer, LinkDirection.Both, () => new ResetPeerToxic { Timeout = 0 }, cancellationToken);

    /// <summary>Removes one fault; a fault that is absent or only partly there is fine.</summary>
    public async Task RemoveAsync(LinkFault fault, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var proxy = router[fault.Link].ProxyName;
        if (fault.Kind == LinkFaultKind.Partition)
        {
            await router.Client.UpdateProxyAsync(proxy, new ProxyUpdate(Enabled: true), cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var stream in (ToxicDirection[])[ToxicDirection.Upstream, ToxicDirection.Downstream])
        {
            try
            {
                await router.Client.DeleteToxicAsync(proxy, ToxicName(fault.Kind, stream), cancellationToken).ConfigureAwait(false);
            }
            catch (ToxiproxyException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                // Never added (a one-direction fault, or an apply cut short), or removed already.
            }
        }
    }

    /// <summary>
    /// Removes every fault from every link: enables every proxy and removes every toxic (Toxiproxy's <c>/reset</c>).
    /// On someone else's Toxiproxy (adopted links) only this router's links are touched, and only ChaosPg's toxics.
    /// </summary>
    public async Task HealAsync(CancellationToken cancellationToken = default)
    {
        if (!router.HasAdoptedLinks)
        {
            await router.Client.ResetAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var link in router.Links)
        {
            await RemoveAsync(new LinkFault(link.Link, LinkFaultKind.Partition), cancellationToken).ConfigureAwait(false);
            foreach (var kind in (LinkFaultKind[])[LinkFaultKind.Blackhole, LinkFaultKind.Latency, LinkFaultKind.Bandwidth, LinkFaultKind.ResetPeer])
            {
                await RemoveAsync(new LinkFault(link.Link, kind), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The name of the toxic a fault puts on one stream: <c>chaospg-&lt;fault&gt;-&lt;stream&gt;</c>.</summary>
    public static string ToxicName(LinkFaultKind kind, ToxicDirection stream)
    {
        var fault = kind switch
        {
            LinkFaultKind.Blackhole => "blackhole",
            LinkFaultKind.Latency => "latency",
            LinkFaultKind.Bandwidth => "bandwidth",
            LinkFaultKind.ResetPeer => "reset-peer",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a partition has no toxic"),
        };
        return $"chaospg-{fault}-{(stream == ToxicDirection.Upstream ? "upstream" : "downstream")}";
    }

    private async Task<LinkFault> AddAsync(string link, LinkFaultKind kind, LinkDirection direction, Func<Toxic> create, CancellationToken cancellationToken)
    {
        var proxy = router[link].ProxyName;
        ToxicDirection[] streams = direction switch
        {
            LinkDirection.Upstream => [ToxicDirection.Upstream],
            LinkDirection.Downstream => [ToxicDirection.Downstream],
            _ => [ToxicDirection.Upstream, ToxicDirection.Downstream],
        };
        foreach (var stream in streams)
        {
            var toxic = create() with { Name = ToxicName(kind, stream), Stream = stream };
            try
            {
                await router.Client.AddToxicAsync(proxy, toxic, cancellationToken).ConfigureAwait(false);
            }
            catch (ToxiproxyException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
            {
                // Applied again over a leftover of the same fault: take the new values.
                await router.Client.UpdateToxicAsync(proxy, toxic.Name!, ToxicUpdate.From(toxic), cancellationToken).ConfigureAwait(false);
            }
        }

        return new LinkFault(link, kind);
    }
}
