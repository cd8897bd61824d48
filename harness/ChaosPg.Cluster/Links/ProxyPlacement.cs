namespace ChaosPg.Cluster.Links;

/// <summary>
/// Where a link's proxy listens, and how its traffic reaches that listener. The default
/// (<see cref="Loopback"/>) listens on 127.0.0.1 on a free port and is reached there; a proxy inside a container
/// listens on a fixed port of the container and is reached through a published port or a network alias.
/// </summary>
public abstract class ProxyPlacement
{
    /// <summary>Every proxy on 127.0.0.1 and a port the proxy picks; reached where it listens.</summary>
    public static ProxyPlacement Loopback { get; } = new LoopbackPlacement();

    /// <summary>The listen address to create <paramref name="link"/>'s proxy with (host:port; port 0 lets the proxy choose).</summary>
    public abstract string ListenFor(string link);

    /// <summary>Where the link's users connect, given the address the proxy reports it listens on.</summary>
    public abstract LinkEndpoint Reach(string link, LinkEndpoint listen);

    private sealed class LoopbackPlacement : ProxyPlacement
    {
        public override string ListenFor(string link) => "127.0.0.1:0";

        public override LinkEndpoint Reach(string link, LinkEndpoint listen) => listen;
    }
}
