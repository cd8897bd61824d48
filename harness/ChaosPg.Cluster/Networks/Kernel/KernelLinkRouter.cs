using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// Routes links with no relay: a link's traffic goes straight to its upstream node's peer address, on the node's
/// port, across the run's bridge. The harness's own connections use the node's admin address instead, so only link
/// traffic matches the rules of <see cref="KernelRules"/>.
/// </summary>
public sealed class KernelLinkRouter(KernelTopology topology) : ILinkRouter
{
    private readonly ConcurrentDictionary<string, LinkEndpoint> links = new(StringComparer.Ordinal);

    /// <summary>The topology the links cross.</summary>
    public KernelTopology Topology { get; } = topology;

    /// <summary>Every link routed so far, by name.</summary>
    public ImmutableArray<string> Links => [.. links.Keys.Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public Task<LinkEndpoint> RouteAsync(string link, LinkEndpoint upstream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var (_, to) = KernelRules.Ends(link);
        var endpoint = new LinkEndpoint(Topology.PeerAddress(to), upstream.Port);
        links[link] = endpoint;
        return Task.FromResult(endpoint);
    }

    /// <summary>Nothing to remove: the network session deletes the namespaces.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
