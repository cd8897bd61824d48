namespace ChaosPg.Cluster.Local;

/// <summary>Every node on 127.0.0.1 in the harness's own namespace: the proxy network mode and no-proxy runs.</summary>
public sealed class LoopbackNodeNetwork : INodeNetwork
{
    public static LoopbackNodeNetwork Instance { get; } = new();

    public string ClientCidr => "127.0.0.1/32";

    public string AdminHost(string node) => "127.0.0.1";

    public string ListenAddresses(string node) => "127.0.0.1";

    public IReadOnlyList<string> LaunchPrefix(string node) => [];
}
