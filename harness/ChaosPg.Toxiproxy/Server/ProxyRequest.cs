namespace ChaosPg.Toxiproxy.Server;

/// <summary>The proxy fields a request sent; null when left out.</summary>
internal sealed record ProxyRequest(string? Name, string? Listen, string? Upstream, bool? Enabled);
