using System.Net;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy;

/// <summary>Free TCP ports on 127.0.0.1, for servers the harness starts (proxies, PostgreSQL nodes).</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now; the caller binds it soon and retries if another process won the race.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
