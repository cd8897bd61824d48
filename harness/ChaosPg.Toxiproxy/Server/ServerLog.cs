using Microsoft.Extensions.Logging;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>One log line per change the embedded server makes.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Toxiproxy API listening on {ApiUri} (version {Version})")]
    public static partial void Started(ILogger logger, Uri apiUri, string version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "proxy {Proxy} created: listen {Listen} upstream {Upstream} enabled {Enabled}")]
    public static partial void ProxyCreated(ILogger logger, string proxy, string listen, string upstream, bool enabled);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "proxy {Proxy} updated: listen {Listen} upstream {Upstream} enabled {Enabled}")]
    public static partial void ProxyUpdated(ILogger logger, string proxy, string listen, string upstream, bool enabled);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "proxy {Proxy} deleted")]
    public static partial void ProxyDeleted(ILogger logger, string proxy);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "toxic {Toxic} ({Type}, {Stream}, toxicity {Toxicity}) added to proxy {Proxy}")]
    public static partial void ToxicAdded(ILogger logger, string toxic, string type, string stream, float toxicity, string proxy);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "toxic {Toxic} of proxy {Proxy} updated")]
    public static partial void ToxicUpdated(ILogger logger, string toxic, string proxy);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "toxic {Toxic} removed from proxy {Proxy}")]
    public static partial void ToxicRemoved(ILogger logger, string toxic, string proxy);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "reset: every proxy enabled, every toxic removed")]
    public static partial void Reset(ILogger logger);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "proxy {Proxy}: a connection failed in the relay and was closed: {Error}")]
    public static partial void RelayConnectionFailed(ILogger logger, string proxy, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "the relay stopped ({Error}): its connections and every new one go through their links")]
    public static partial void RelayFailed(ILogger logger, string error);
}
