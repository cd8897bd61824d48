namespace ChaosPg.Toxiproxy;

/// <summary>A partial proxy update: null fields are left out of the request and keep their current values.</summary>
/// <param name="Listen">New listen address; a change restarts the proxy (its toxics are kept).</param>
/// <param name="Upstream">New upstream; a change restarts the proxy (its toxics are kept).</param>
/// <param name="Enabled">False closes the listener and every live connection; true listens again.</param>
public sealed record ProxyUpdate(string? Listen = null, string? Upstream = null, bool? Enabled = null);
