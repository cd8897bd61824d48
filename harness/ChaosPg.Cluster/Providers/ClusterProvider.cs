using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// The provider composed from a registry: resolves the request's three names, checks that they combine, then
/// starts the network mode, and lets the manager bring the nodes up on the backend with it.
/// </summary>
public sealed class ClusterProvider : IClusterProvider
{
    public ClusterProvider(ClusterProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
    }

    /// <summary>The provider of everything this version has built.</summary>
    public static ClusterProvider Default { get; } = new(ClusterProviderRegistry.Default);

    public ClusterProviderRegistry Registry { get; }

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request)
    {
        var (backend, network, manager) = Resolve(request);
        var facts = new ClusterFacts(backend.Name, network.Name, manager.Name);
        return manager.Plan(request, network.Plan(request, backend.Plan(request, facts)));
    }

    /// <inheritdoc/>
    public async Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        (IClusterBackend Backend, INetworkMode Network, IClusterManager Manager) parts;
        try
        {
            parts = Resolve(request);
        }
        catch (ClusterConfigurationException e)
        {
            return [e.Message];
        }

        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var part in new IClusterAxisPart[] { parts.Backend, parts.Network, parts.Manager })
        {
            problems.AddRange(await part.PreflightAsync(request, cancellationToken).ConfigureAwait(false));
        }

        return problems.ToImmutable();
    }

    /// <inheritdoc/>
    public async Task<ProvidedCluster> StartAsync(ClusterRequest request, Action<string>? phase = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (backend, network, manager) = Resolve(request);
        var facts = Plan(request);
        phase ??= _ => { };
        var session = await network.StartAsync(request, backend, phase, cancellationToken).ConfigureAwait(false);
        BackendCluster started;
        try
        {
            started = await manager.StartAsync(request, backend, session, phase, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        facts = facts with
        {
            ProxyKind = started.ProxyKind ?? session.Proxy?.Kind ?? facts.ProxyKind,
            ProxyVersion = started.ProxyVersion ?? session.Proxy?.Version ?? facts.ProxyVersion,
        };
        return new ProvidedCluster(started, session, facts, request.CleanupTimeout);
    }

    /// <inheritdoc/>
    public async Task<ImmutableArray<AxisReport>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reports = ImmutableArray.CreateBuilder<AxisReport>();
        foreach (var (axis, parts) in new (ClusterAxis, IEnumerable<IClusterAxisPart>)[]
        {
            (ClusterAxis.Backend, Ordered(ClusterAxis.Backend, Registry.Backends)),
            (ClusterAxis.Network, Ordered(ClusterAxis.Network, Registry.Networks)),
            (ClusterAxis.Manager, Ordered(ClusterAxis.Manager, Registry.Managers)),
        })
        {
            foreach (var part in parts)
            {
                reports.Add(new AxisReport(axis, part.Name, await part.DescribeAsync(request, cancellationToken).ConfigureAwait(false)));
            }
        }

        return reports.ToImmutable();
    }

    private IEnumerable<IClusterAxisPart> Ordered<T>(ClusterAxis axis, ImmutableDictionary<string, T> parts)
        where T : IClusterAxisPart =>
        Registry.Available(axis).Select(name => (IClusterAxisPart)parts[name]);

    // Every name first (each error names its axis), then whether they combine.
    private (IClusterBackend Backend, INetworkMode Network, IClusterManager Manager) Resolve(ClusterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backend = Registry.Backend(request.Backend);
        var network = Registry.Network(request.Network);
        var manager = Registry.Manager(request.Manager);
        if (!backend.Networks.Contains(network.Name))
        {
            throw new ClusterConfigurationException(
                $"network {network.Name} is not available with backend {backend.Name}; that backend supports: {string.Join(", ", backend.Networks)}");
        }

        if (!manager.Supports(backend))
        {
            throw new ClusterConfigurationException($"manager {manager.Name} does not run on backend {backend.Name}; choose another --backend");
        }

        return (backend, network, manager);
    }
}
