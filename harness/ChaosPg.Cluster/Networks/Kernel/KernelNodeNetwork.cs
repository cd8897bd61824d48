using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>Local nodes in their own namespaces of a <see cref="KernelTopology"/>: listening on their peer and admin addresses.</summary>
public sealed class KernelNodeNetwork(KernelTopology topology) : INodeNetwork
{
    /// <inheritdoc/>
    public string ClientCidr => topology.Subnet;

    /// <inheritdoc/>
    public string AdminHost(string node) => topology.AdminAddress(node);

    /// <inheritdoc/>
    public string ListenAddresses(string node) => $"{topology.PeerAddress(node)},{topology.AdminAddress(node)}";

    /// <inheritdoc/>
    public IReadOnlyList<string> LaunchPrefix(string node) => ["nsenter", $"--net=/run/netns/{topology.NamespaceOf(node)}"];
}
