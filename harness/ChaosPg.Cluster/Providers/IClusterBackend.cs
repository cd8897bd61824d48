using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>What runs the nodes: <c>local</c> (processes, <see cref="Local"/>), <c>docker</c> (containers, <see cref="Docker"/>).</summary>
public interface IClusterBackend : IClusterAxisPart
{
    /// <summary>The network modes this backend can carry its links with.</summary>
    ImmutableArray<string> Networks { get; }

    /// <summary>
    /// True when the backend starts the link proxy itself, inside its own network (a Toxiproxy container), so a
    /// network mode must not start one on the host.
    /// </summary>
    bool ProvidesOwnProxy { get; }

    /// <summary>Starts the nodes, with their links routed by <paramref name="network"/> (unless it provides its own proxy), and returns once every replica streams.</summary>
    Task<BackendCluster> StartAsync(ClusterRequest request, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default);
}
