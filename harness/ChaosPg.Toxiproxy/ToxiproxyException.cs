using System.Collections.Immutable;
using System.Net;

namespace ChaosPg.Toxiproxy;

/// <summary>An error answer from a Toxiproxy server: its HTTP status and its error message.</summary>
public sealed class ToxiproxyException : Exception
{
    public ToxiproxyException()
        : this("Toxiproxy request failed.")
    {
    }

    public ToxiproxyException(string message)
        : base(message)
    {
        ServerMessage = message;
    }

    public ToxiproxyException(string message, Exception innerException)
        : base(message, innerException)
    {
        ServerMessage = message;
    }

    public ToxiproxyException(HttpStatusCode statusCode, string serverMessage, ImmutableArray<ToxiproxyProxy> populatedProxies = default)
        : base($"HTTP {(int)statusCode}: {serverMessage}")
    {
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        PopulatedProxies = populatedProxies.IsDefault ? [] : populatedProxies;
    }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The server's error text (the <c>error</c> field of its JSON error body, or the plain body).</summary>
    public string ServerMessage { get; }

    /// <summary>For a failed <c>/populate</c>: the proxies the server had already created or kept.</summary>
    public ImmutableArray<ToxiproxyProxy> PopulatedProxies { get; } = [];
}
