namespace ChaosPg.Cluster;

/// <summary>A loopback TCP endpoint a link connects to or listens on.</summary>
public sealed record LinkEndpoint(string Host, int Port);
