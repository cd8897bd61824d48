namespace ChaosPg.Toxiproxy;

/// <summary>A proxy to create (or to populate).</summary>
/// <param name="Name">Unique proxy name.</param>
/// <param name="Upstream">Upstream <c>host:port</c>; not dialled until a client connects.</param>
/// <param name="Listen">Listen <c>host:port</c>; left out of the request when null.</param>
/// <param name="Enabled">Left out of the request when null (the server then enables the proxy).</param>
public sealed record ProxyDefinition(string Name, string Upstream, string? Listen = null, bool? Enabled = null);
