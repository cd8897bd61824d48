using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Local;

/// <summary>The <c>local</c> backend: nodes are PostgreSQL processes of this machine (<see cref="LocalCluster"/>), run as the server user.</summary>
public sealed class LocalBackend : IClusterBackend
{
    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Local;

    /// <inheritdoc/>
    public ImmutableArray<string> Networks { get; } = [ClusterAxisNames.Proxy, ClusterAxisNames.Kernel];

    /// <inheritdoc/>
    public bool ProvidesOwnProxy => false;

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    /// <inheritdoc/>
    public async Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = ImmutableArray.CreateBuilder<string>();
        try
        {
            await PgBinariesLocator.LocateAsync(request.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterConfigurationException e)
        {
            problems.Add(e.Message);
        }

        try
        {
            ServerUser.Resolve();
        }
        catch (ClusterConfigurationException e)
        {
            problems.Add(e.Message);
        }

        return problems.ToImmutable();
    }

    /// <inheritdoc/>
    public async Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = ImmutableArray.CreateBuilder<AxisFinding>();
        try
        {
            var binaries = await PgBinariesLocator.LocateAsync(request.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            findings.Add(AxisFinding.Ok($"postgresql {binaries.Version} in {binaries.BinDirectory} (found by {binaries.Source})"));
        }
        catch (ClusterConfigurationException e)
        {
            findings.Add(AxisFinding.Missing($"postgresql: {e.Message}"));
        }

        try
        {
            var user = ServerUser.Resolve();
            findings.Add(AxisFinding.Ok(user.SwitchUser
                ? $"servers run as OS user {user.Name} (uid {user.Uid}); the harness runs as root"
                : $"servers run as the current OS user {user.Name}"));
        }
        catch (ClusterConfigurationException e)
        {
            findings.Add(AxisFinding.Missing($"server user: {e.Message}"));
        }

        return findings.ToImmutable();
    }

    /// <inheritdoc/>
    public async Task<BackendCluster> StartAsync(ClusterRequest request, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(phase);
        var binaries = await PgBinariesLocator.LocateAsync(request.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        phase($"starting PostgreSQL {binaries.Version}: {ClusterShape.Of(request.Spec)}");
        var router = network.Router ?? new DirectLinkRouter();
        var cluster = await LocalCluster.StartAsync(
            request.Spec,
            new LocalClusterOptions { LogDirectory = request.LogDirectory, KeepData = request.KeepData, LinkRouter = router, NodeNetwork = network.NodeNetwork, WorkRoot = request.WorkRoot },
            cancellationToken).ConfigureAwait(false);
        return new BackendCluster(cluster, router, network.LinkFaults, ProxyKind: null, ProxyVersion: null, [$"work directory: {cluster.WorkDirectory}", $"logs: {cluster.LogDirectory}"]);
    }
}
