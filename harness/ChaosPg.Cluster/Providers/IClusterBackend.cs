using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>What runs the nodes: <c>local</c> (processes, <see cref="Local"/>), <c>docker</c> (containers, <see cref="Docker"/>).</summary>
public interface IClusterBackend : IClusterAxisPart
{
    /// <summary>The network modes this backend can carry its links with.</summary>
    ImmutableArray<string> Networks { get; }

    /// <summary>
    /// True when the backend carries its links itself, inside its own network (a Toxiproxy container, or kernel rules
    /// in its containers), so a network mode must not start a proxy or make namespaces on the host.
    /// </summary>
    bool ProvidesOwnProxy { get; }

    /// <summary>Starts the nodes, with their links routed by <paramref name="network"/> (unless it provides its own proxy), and returns once every replica streams.</summary>
    Task<BackendCluster> StartAsync(ClusterRequest request, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default);
}
