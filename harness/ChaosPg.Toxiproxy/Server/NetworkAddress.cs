using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>Parses and resolves Toxiproxy's <c>host:port</c> strings.</summary>
internal static class NetworkAddress
{
    /// <summary>Splits <c>host:port</c> (IPv6 hosts in brackets); false if the text is not of that form.</summary>
    public static bool TrySplit(string text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            return false;
        }

        host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return true;
    }

    /// <summary>
    /// Resolves a listen address. An empty host binds loopback rather than every interface (Toxiproxy's default),
    /// because ChaosPg never listens beyond 127.0.0.1 unless told to.
    /// </summary>
    public static async Task<IPEndPoint> ResolveListenAsync(string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            return new IPEndPoint(IPAddress.Loopback, 0);
        }

        if (!TrySplit(text, out var host, out var port))
        {
            throw new ApiException(500, $"listen tcp: address {text}: missing port in address");
        }

        if (host.Length == 0)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null
                ? throw new ApiException(500, $"lookup {host}: no such host")
                : new IPEndPoint(chosen, port);
        }
        catch (SocketException)
        {
            throw new ApiException(500, $"lookup {host}: no such host");
        }
    }
}
