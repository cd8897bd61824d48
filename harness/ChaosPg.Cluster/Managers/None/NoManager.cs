using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Managers.None;

/// <summary>The <c>none</c> manager: no HA software; the backend starts the nodes and the scenario's own actions promote.</summary>
public sealed class NoManager : IClusterManager
{
    /// <inheritdoc/>
    public string Name => ClusterAxisNames.None;

    /// <inheritdoc/>
    public bool Supports(IClusterBackend backend) => true;

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    /// <inheritdoc/>
    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ImmutableArray<string>.Empty);

    /// <inheritdoc/>
    public Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<ImmutableArray<AxisFinding>>([AxisFinding.Ok("no HA manager: nothing to install; the scenario's own actions promote")]);

    /// <inheritdoc/>
    public Task<BackendCluster> StartAsync(ClusterRequest request, IClusterBackend backend, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.StartAsync(request, network, phase, cancellationToken);
    }
}
