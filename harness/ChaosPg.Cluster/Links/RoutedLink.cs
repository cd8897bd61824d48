namespace ChaosPg.Cluster.Links;

/// <summary>A link routed through a Toxiproxy proxy: the proxy's name, where it listens, and the node endpoint it forwards to.</summary>
public sealed record RoutedLink(string Link, string ProxyName, LinkEndpoint Listen, LinkEndpoint Upstream);
