using System.Collections.Immutable;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Providers;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Networks.Proxy;

/// <summary>
/// The <c>proxy</c> network mode: Toxiproxy relays every link (<see cref="ToxiproxyLinkRouter"/>) and link faults
/// are toxics (<see cref="LinkFaults"/>). For a host backend it reaches or starts the proxy: <c>--toxiproxy-url</c>,
/// else toxiproxy-server from PATH, else the embedded server. A backend that brings its own proxy gets none.
/// </summary>
public sealed class ProxyNetwork : INetworkMode
{
    private const string ServerExecutable = "toxiproxy-server";

    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Proxy;

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        return facts.ProxyKind is null
            ? facts with { ProxyKind = request.ToxiproxyUrl is null ? ToxiproxyKind.Embedded : ToxiproxyKind.External }
            : facts;
    }

    /// <summary>Nothing to check before the run: the embedded server is always there, and a --toxiproxy-url is tried when the run starts.</summary>
    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ImmutableArray<string>.Empty);

    /// <inheritdoc/>
    public Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, ServerExecutable))
            .FirstOrDefault(File.Exists);
        return Task.FromResult<ImmutableArray<AxisFinding>>(
        [
            AxisFinding.Ok(onPath is null
                ? $"toxiproxy: the embedded server (no {ServerExecutable} on PATH; --toxiproxy-url reaches a running one)"
                : $"toxiproxy: {onPath}, started per run (--toxiproxy-url reaches a running one instead)"),
        ]);
    }

    /// <inheritdoc/>
    public async Task<NetworkSession> StartAsync(ClusterRequest request, IClusterBackend backend, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(phase);
        if (backend.ProvidesOwnProxy)
        {
            return new NetworkSession(Name);
        }

        phase("starting Toxiproxy");
        var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { Url = request.ToxiproxyUrl }, cancellationToken).ConfigureAwait(false);
        var router = new ToxiproxyLinkRouter(proxy.Client);
        return new NetworkSession(Name, router, new LinkFaults(router), proxy);
    }
}
