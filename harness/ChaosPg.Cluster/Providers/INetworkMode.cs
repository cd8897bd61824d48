namespace ChaosPg.Cluster.Providers;

/// <summary>How links are carried and faulted: <c>proxy</c> (Toxiproxy relays every link, <see cref="Networks.Proxy"/>).</summary>
public interface INetworkMode : IClusterAxisPart
{
    /// <summary>Starts what carries the links for <paramref name="backend"/>, before any node exists.</summary>
    Task<NetworkSession> StartAsync(ClusterRequest request, IClusterBackend backend, Action<string> phase, CancellationToken cancellationToken = default);
}
