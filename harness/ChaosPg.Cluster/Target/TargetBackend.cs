using System.Collections.Immutable;
using System.Net;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Providers;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Target;

/// <summary>
/// The <c>target</c> backend: starts nothing. It opens a cluster someone else runs, as the request's target file
/// describes it (<see cref="TargetCluster"/>); link faults go through the target's own Toxiproxy, whose proxies it
/// adopts and leaves in place, so the proxy network mode starts nothing on the host for it.
/// </summary>
public sealed class TargetBackend : IClusterBackend
{
    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Target;

    /// <inheritdoc/>
    public ImmutableArray<string> Networks { get; } = [ClusterAxisNames.Proxy];

    /// <summary>True: the target's Toxiproxy (when it has one) is the user's, already running.</summary>
    public bool ProvidesOwnProxy => true;

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        return facts with { ProxyKind = request.Target?.Toxiproxy is null ? null : ToxiproxyKind.External };
    }

    /// <summary>That there is a target file and every password variable it names is set.</summary>
    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Target is not { } target)
        {
            return Task.FromResult<ImmutableArray<string>>(["backend target runs against a cluster a target file describes: chaospg run <scenario> --target <file> (docs/targets.md)"]);
        }

        ImmutableArray<string> missing = [.. target.Nodes
            .SelectMany(n => new[] { (n.Name, "admin", n.Admin.PasswordEnvironmentVariable), (n.Name, "client", n.Client.PasswordEnvironmentVariable) })
            .Where(c => c.Item3 is { } variable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            .Select(c => c.Item3!)
            .Distinct(StringComparer.Ordinal)
            .Select(variable => $"{target.File} takes a password from the environment variable {variable}, which is not set: export it before the run")];
        return Task.FromResult(missing);
    }

    /// <inheritdoc/>
    public Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<ImmutableArray<AxisFinding>>([AxisFinding.Ok("target: a cluster someone else runs, described by a target file (--target, docs/targets.md); nothing to install")]);

    /// <inheritdoc/>
    public async Task<BackendCluster> StartAsync(ClusterRequest request, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(phase);
        var target = request.Target ?? throw new ClusterConfigurationException("backend target needs a target file (--target)");
        phase($"opening the target {target.File}: {string.Join(", ", target.Nodes.Select(n => n.Name))}");
        var cluster = await TargetCluster.OpenAsync(target, request.Spec, request.KeepData, request.CleanupTimeout, cancellationToken).ConfigureAwait(false);
        ToxiproxyClient? client = null;
        try
        {
            var notes = ImmutableArray.CreateBuilder<string>();
            notes.Add($"target: {target.File} (PostgreSQL {cluster.ServerVersion}); the workload's schema: {cluster.Schema}{(request.KeepData ? " (kept after the run)" : " (dropped after the run)")}");
            if (target.ManagerRest is { } rest)
            {
                notes.Add($"HA manager REST endpoint: {rest} (recorded; role changes are observed on the nodes themselves)");
            }

            if (target.Toxiproxy is not { } toxiproxy)
            {
                return new BackendCluster(new OwningCluster(cluster, null), new DirectLinkRouter(), null, ProxyKind: null, ProxyVersion: null, notes.ToImmutable());
            }

            client = new ToxiproxyClient(toxiproxy.Url);
            var router = new ToxiproxyLinkRouter(client);
            string version;
            try
            {
                version = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                foreach (var (link, proxy) in toxiproxy.Links.OrderBy(l => l.Key, StringComparer.Ordinal))
                {
                    await router.AdoptAsync(link, proxy, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ToxiproxyException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ClusterConfigurationException($"the Toxiproxy at {toxiproxy.Url} has no proxy named in {target.File}: {e.Message}");
            }
            catch (HttpRequestException e)
            {
                throw new ClusterConfigurationException($"the Toxiproxy API of {target.File} ({toxiproxy.Url}) does not answer: {e.Message}");
            }

            notes.Add($"links through the target's Toxiproxy {version} at {toxiproxy.Url}: {string.Join(", ", toxiproxy.Links.Select(l => $"{l.Key} = {l.Value}"))}");
            return new BackendCluster(new OwningCluster(cluster, client), router, new LinkFaults(router), ToxiproxyKind.External, version, notes.ToImmutable());
        }
        catch
        {
            client?.Dispose();
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
