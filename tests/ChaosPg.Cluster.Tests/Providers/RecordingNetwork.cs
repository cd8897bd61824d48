using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>A test double for unit tests of the provider's composition (no PostgreSQL, no proxy); records what it is asked in a <see cref="Journal"/>.</summary>
internal sealed class RecordingNetwork(Journal journal, string name = "proxy") : INetworkMode
{
    public string Name => name;

    public ImmutableArray<string> Problems { get; init; } = [];

    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default) => Task.FromResult(Problems);

    public Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<ImmutableArray<AxisFinding>>([AxisFinding.Absent($"{name} optional thing")]);

    public Task<NetworkSession> StartAsync(ClusterRequest request, IClusterBackend backend, Action<string> phase, CancellationToken cancellationToken = default)
    {
        journal.Add($"network {name} start for {backend.Name}");
        return Task.FromResult(backend.ProvidesOwnProxy
            ? new NetworkSession(name)
            : new NetworkSession(name, new RecordingRouter(journal, "network's router")));
    }
}
