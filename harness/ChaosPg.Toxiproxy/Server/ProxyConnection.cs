using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>A client connection through a proxy and its upstream connection, with one link per direction.</summary>
internal sealed class ProxyConnection
{
    private readonly ProxyInstance _proxy;
    private readonly Socket _client;
    private readonly Socket _upstream;
    private int _closed;

    public ProxyConnection(ProxyInstance proxy, Socket client, Socket upstream, IEnumerable<ToxicDefinition> upstreamToxics, IEnumerable<ToxicDefinition> downstreamToxics)
    {
        _proxy = proxy;
        _client = client;
        _upstream = upstream;
        UpstreamLink = new ProxyLink(this, client, upstream, upstreamToxics);
        DownstreamLink = new ProxyLink(this, upstream, client, downstreamToxics);
    }

    /// <summary>Client to upstream.</summary>
    public ProxyLink UpstreamLink { get; }

    /// <summary>Upstream to client.</summary>
    public ProxyLink DownstreamLink { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public ProxyLink LinkFor(ToxicDirection direction) => direction == ToxicDirection.Upstream ? UpstreamLink : DownstreamLink;

    /// <summary>Rolls the toxicity of every toxic; called while the proxy's toxic list cannot change.</summary>
    public void StartStages()
    {
        UpstreamLink.StartStages();
        DownstreamLink.StartStages();
    }

    /// <summary>Starts pumping both directions.</summary>
    public void Run()
    {
        _ = UpstreamLink.RunAsync();
        _ = DownstreamLink.RunAsync();
    }

    /// <summary>Closes both sockets once: a FIN, or with <paramref name="reset"/> an RST (SO_LINGER 0).</summary>
    public void Close(bool reset = false)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        foreach (var socket in (Socket[])[_client, _upstream])
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
        _proxy.Forget(this);
    }
}
