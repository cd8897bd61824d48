using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>A test double for unit tests of the provider's composition (no PostgreSQL, no proxy); records what it is asked in a <see cref="Journal"/>.</summary>
internal sealed class RecordingBackend(Journal journal, string name = "local", bool providesOwnProxy = false, params string[] networks) : IClusterBackend
{
    public string Name => name;

    public ImmutableArray<string> Networks { get; } = networks.Length == 0 ? [ClusterAxisNames.Proxy] : [.. networks];

    public bool ProvidesOwnProxy => providesOwnProxy;

    public ImmutableArray<string> Problems { get; init; } = [];

    public Exception? StartFailure { get; init; }

    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts with { PgImage = $"{name}-image" };

    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default) => Task.FromResult(Problems);

    public Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<ImmutableArray<AxisFinding>>([AxisFinding.Ok($"{name} found")]);

    public Task<BackendCluster> StartAsync(ClusterRequest request, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        journal.Add($"backend {name} start (router {(network.Router is null ? "none" : "from the network")})");
        phase($"starting {name}");
        if (StartFailure is not null)
        {
            throw StartFailure;
        }

        ILinkRouter router = network.Router ?? new RecordingRouter(journal, "backend's own router");
        return Task.FromResult(new BackendCluster(new RecordingCluster(journal, request.Spec, name), router, null, null, null, [$"{name} note"]));
    }
}
