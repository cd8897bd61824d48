using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// What a network mode started for one cluster before its nodes exist: the router host-side backends route their
/// links through and the faults it can apply on them, or nothing when the backend brings its own proxy.
/// Disposal removes the router's links, then stops the proxy; it is safe twice.
/// </summary>
public sealed class NetworkSession : IAsyncDisposable
{
    private int disposed;

    /// <param name="name">The network mode's name.</param>
    /// <param name="router">The router for the backend's links, or null when the backend brings its own.</param>
    /// <param name="linkFaults">Faults on that router's links, or null.</param>
    /// <param name="proxy">The Toxiproxy this session started or reached, disposed with it.</param>
    /// <param name="nodeNetwork">Where host-side nodes listen and how they start, or null for 127.0.0.1.</param>
    /// <param name="resources">What else the session made (the kernel mode's namespaces), disposed last.</param>
    public NetworkSession(string name, ILinkRouter? router = null, ILinkFaults? linkFaults = null, ToxiproxyHandle? proxy = null, INodeNetwork? nodeNetwork = null, IAsyncDisposable? resources = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Router = router;
        LinkFaults = linkFaults;
        Proxy = proxy;
        NodeNetwork = nodeNetwork;
        Resources = resources;
    }

    /// <summary>Where host-side nodes listen and how they start; null for 127.0.0.1 in the harness's namespace.</summary>
    public INodeNetwork? NodeNetwork { get; }

    private IAsyncDisposable? Resources { get; }

    /// <summary>The network mode's name.</summary>
    public string Name { get; }

    /// <summary>The router a backend passes its links to, or null when the backend brings its own.</summary>
    public ILinkRouter? Router { get; }

    /// <summary>The faults the network mode can apply on <see cref="Router"/>'s links.</summary>
    public ILinkFaults? LinkFaults { get; }

    /// <summary>The Toxiproxy this session owns, if any.</summary>
    public ToxiproxyHandle? Proxy { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (Router is not null)
            {
                await Router.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                if (Proxy is not null)
                {
                    await Proxy.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                if (Resources is not null)
                {
                    await Resources.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
