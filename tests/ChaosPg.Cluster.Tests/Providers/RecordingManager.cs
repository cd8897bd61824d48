using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>A test double for unit tests of the provider's composition (no PostgreSQL, no proxy); records what it is asked in a <see cref="Journal"/>.</summary>
internal sealed class RecordingManager(Journal journal, string name = "none", params string[] backends) : IClusterManager
{
    public string Name => name;

    public ImmutableArray<string> Problems { get; init; } = [];

    public bool Supports(IClusterBackend backend) => backends.Length == 0 || backends.Contains(backend.Name);

    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default) => Task.FromResult(Problems);

    public Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<ImmutableArray<AxisFinding>>([AxisFinding.Missing($"{name} package: apt-get install {name}")]);

    public Task<BackendCluster> StartAsync(ClusterRequest request, IClusterBackend backend, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        journal.Add($"manager {name} start on {backend.Name}");
        return backend.StartAsync(request, network, phase, cancellationToken);
    }
}
