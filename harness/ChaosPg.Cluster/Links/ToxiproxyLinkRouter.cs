using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Links;

/// <summary>
/// Routes every link through its own Toxiproxy proxy (listening on 127.0.0.1 and a free port), so faults can be put
/// on links. Works with the embedded server and a real Toxiproxy alike: it uses only the documented HTTP API.
/// Disposal deletes the proxies it created; the caller owns the client.
/// </summary>
public sealed class ToxiproxyLinkRouter : ILinkRouter
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, RoutedLink> links = new(StringComparer.Ordinal);
    private readonly HashSet<string> adopted = new(StringComparer.Ordinal);
    private readonly ProxyPlacement placement;
    private int disposed;

    /// <summary>Creates a router over <paramref name="client"/>'s proxies, placed by <paramref name="placement"/> (default: loopback).</summary>
    public ToxiproxyLinkRouter(ToxiproxyClient client, ProxyPlacement? placement = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        this.placement = placement ?? ProxyPlacement.Loopback;
    }

    /// <summary>The Toxiproxy API the proxies live on.</summary>
    public ToxiproxyClient Client { get; }

    /// <summary>Every link routed so far, by name, with its proxy; a link stays after a promotion stops using it.</summary>
    public ImmutableArray<RoutedLink> Links
    {
        get
        {
            lock (links)
            {
                return [.. links.Values.OrderBy(l => l.Link, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// The proxy name of a link: the arrow becomes a dash (<c>client-&gt;primary</c> is <c>client-primary</c>), which
    /// keeps names unambiguous because node names hold no dash, and keeps them plain in URLs and logs.
    /// </summary>
    public static string ProxyName(string link)
    {
        ArgumentException.ThrowIfNullOrEmpty(link);
        return link.Replace("->", "-", StringComparison.Ordinal);
    }

    /// <summary>The routed link named <paramref name="link"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such link was routed.</exception>
    public RoutedLink this[string link]
    {
        get
        {
            lock (links)
            {
                return links.TryGetValue(link, out var routed)
                    ? routed
                    : throw new KeyNotFoundException($"link {link} is not routed; routed links are {string.Join(", ", links.Keys.Order(StringComparer.Ordinal))}");
            }
        }
    }

    /// <summary>True when some link runs through a proxy this router did not create (<see cref="AdoptAsync"/>): the Toxiproxy is someone else's.</summary>
    public bool HasAdoptedLinks
    {
        get
        {
            lock (links)
            {
                return adopted.Count > 0;
            }
        }
    }

    /// <summary>
    /// Takes an existing proxy as the one that carries <paramref name="link"/> (a target's Toxiproxy, set up by its
    /// owner): faults go on it, and disposal leaves it in place.
    /// </summary>
    /// <exception cref="ToxiproxyException">No proxy of that name (404), or the API does not answer.</exception>
    public async Task<RoutedLink> AdoptAsync(string link, string proxyName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(link);
        ArgumentException.ThrowIfNullOrEmpty(proxyName);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var proxy = await Client.GetProxyAsync(proxyName, cancellationToken).ConfigureAwait(false);
        var listen = ParseListen(proxy.Listen);
        var routed = new RoutedLink(link, proxyName, listen, ParseListen(proxy.Upstream));
        lock (links)
        {
            links[link] = routed;
            adopted.Add(link);
        }

        return routed;
    }

    /// <summary>
    /// Creates the link's proxy on first use and returns its bound listen endpoint. Routing an existing link to another
    /// upstream PATCHes the proxy: it keeps its listen port (and its toxics, and its enabled state), and its live
    /// connections are closed.
    /// </summary>
    public async Task<LinkEndpoint> RouteAsync(string link, LinkEndpoint upstream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(link);
        ArgumentNullException.ThrowIfNull(upstream);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var upstreamText = Format(upstream);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RoutedLink? existing;
            lock (links)
            {
                links.TryGetValue(link, out existing);
            }

            if (existing is not null)
            {
                if (existing.Upstream != upstream)
                {
                    await Client.UpdateProxyAsync(existing.ProxyName, new ProxyUpdate(Upstream: upstreamText), cancellationToken).ConfigureAwait(false);
                    Store(existing with { Upstream = upstream });
                }

                return existing.Listen;
            }

            var name = ProxyName(link);
            var definition = new ProxyDefinition(name, upstreamText, placement.ListenFor(link), Enabled: true);
            ToxiproxyProxy proxy;
            try
            {
                proxy = await Client.CreateProxyAsync(definition, cancellationToken).ConfigureAwait(false);
            }
            catch (ToxiproxyException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
            {
                // A proxy of that name outlived an earlier run on a shared Toxiproxy; names belong to this cluster now.
                await Client.DeleteProxyAsync(name, cancellationToken).ConfigureAwait(false);
                proxy = await Client.CreateProxyAsync(definition, cancellationToken).ConfigureAwait(false);
            }

            var routed = new RoutedLink(link, name, placement.Reach(link, ParseListen(proxy.Listen)), upstream);
            Store(routed);
            return routed.Listen;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Deletes every proxy this router created (missing ones are fine); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Cleanup has its own deadline, never a caller's token that may already be cancelled.
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        await gate.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            foreach (var routed in Links.Where(l => !IsAdopted(l.Link)))
            {
                try
                {
                    await Client.DeleteProxyAsync(routed.ProxyName, timeout.Token).ConfigureAwait(false);
                }
                catch (ToxiproxyException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
                {
                    // Already gone (deleted by hand, or the server restarted): nothing to clean up.
                }
            }

            lock (links)
            {
                links.Clear();
            }
        }
        finally
        {
            gate.Release();
            gate.Dispose();
        }
    }

    private bool IsAdopted(string link)
    {
        lock (links)
        {
            return adopted.Contains(link);
        }
    }

    private void Store(RoutedLink routed)
    {
        lock (links)
        {
            links[routed.Link] = routed;
        }
    }

    private static string Format(LinkEndpoint endpoint) => string.Create(CultureInfo.InvariantCulture, $"{endpoint.Host}:{endpoint.Port}");

    private static LinkEndpoint ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            throw new ToxiproxyException($"Toxiproxy reported listen address '{listen}', expected host:port with the bound port.");
        }

        return new LinkEndpoint(listen[..colon].Trim('[', ']'), port);
    }
}
