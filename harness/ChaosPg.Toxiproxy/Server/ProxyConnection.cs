using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>A client connection through a proxy and its upstream connection, with one link per direction.</summary>
internal sealed class ProxyConnection
{
    private readonly ProxyInstance _proxy;
    private readonly SocketRelay? _relay;
    private int _closed;
    private int _handOver;

    /// <summary>
    /// A connection; with a <paramref name="relay"/> and no toxic yet, the relay carries its data until a toxic comes.
    /// </summary>
    public ProxyConnection(ProxyInstance proxy, Socket client, Socket upstream, IReadOnlyCollection<ToxicDefinition> upstreamToxics, IReadOnlyCollection<ToxicDefinition> downstreamToxics, SocketRelay? relay)
    {
        _proxy = proxy;
        Client = client;
        Upstream = upstream;
        UpstreamLink = new ProxyLink(this, client, upstream, upstreamToxics);
        DownstreamLink = new ProxyLink(this, upstream, client, downstreamToxics);
        _relay = upstreamToxics.Count == 0 && downstreamToxics.Count == 0 && relay is { IsAvailable: true } ? relay : null;
    }

    public Socket Client { get; }

    public string ProxyName => _proxy.Name;

    public Socket Upstream { get; }

    /// <summary>Client to upstream.</summary>
    public ProxyLink UpstreamLink { get; }

    /// <summary>Upstream to client.</summary>
    public ProxyLink DownstreamLink { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>A toxic has been added since the relay took the connection: its links must carry the data from now on.</summary>
    public bool HandOverRequested => Volatile.Read(ref _handOver) != 0;

    public ProxyLink LinkFor(ToxicDirection direction) => direction == ToxicDirection.Upstream ? UpstreamLink : DownstreamLink;

    /// <summary>Rolls the toxicity of every toxic; called while the proxy's toxic list cannot change.</summary>
    public void StartStages()
    {
        UpstreamLink.StartStages();
        DownstreamLink.StartStages();
    }

    /// <summary>Starts carrying data both ways: through the relay while there is no toxic, else through the links.</summary>
    public void Run()
    {
        if (_relay is null)
        {
            RunLinks(null, null);
        }
        else
        {
            _relay.Add(this);
        }
    }

    /// <summary>Starts both links, each first passing on what the relay read for it but had not sent.</summary>
    public void RunLinks(ProxyChunk? upstreamCarried, ProxyChunk? downstreamCarried)
    {
        _ = UpstreamLink.RunAsync(upstreamCarried);
        _ = DownstreamLink.RunAsync(downstreamCarried);
    }

    /// <summary>Called once a toxic is in a link's stages: moves the connection from the relay to its links.</summary>
    public void RequestHandOver()
    {
        if (_relay is not null && Interlocked.Exchange(ref _handOver, 1) == 0)
        {
            _relay.HandOver(this);
        }
    }

    /// <summary>Closes both sockets once: a FIN, or with <paramref name="reset"/> an RST (SO_LINGER 0).</summary>
    public void Close(bool reset = false)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        foreach (var socket in (Socket[])[Client, Upstream])
        {
            try
            {
                if (reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
            catch (SocketException)
            {
                // Already disconnected by the peer.
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }

            socket.Dispose();
        }

        UpstreamLink.StopStages();
        DownstreamLink.StopStages();
        _relay?.Remove(this);
        _proxy.Forget(this);
    }
}
