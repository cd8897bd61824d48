using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>Where the embedded Toxiproxy-compatible server listens and what it reports.</summary>
public sealed record ToxiproxyServerOptions
{
    /// <summary>API host; an IP address or a name resolved at start. Loopback by default.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>API port; 0 picks a free one (read it back from <see cref="ToxiproxyServer.ApiUri"/>).</summary>
    public int Port { get; init; } = 8474;

    /// <summary>
    /// The version /version reports: exactly the real server's, the API level it speaks. The server says it is the
    /// embedded one in the <see cref="ToxiproxyServerIdentity.HeaderName"/> header of every response instead.
    /// </summary>
    public string Version { get; init; } = "2.12.0";

    /// <summary>Receives one line per proxy or toxic change.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
