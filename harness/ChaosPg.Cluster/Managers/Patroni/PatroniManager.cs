using System.Collections.Immutable;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// The <c>patroni</c> manager: a run-owned etcd and one Patroni per node (<see cref="PatroniCluster"/>), on the local
/// backend, every link through the network mode's router. Patroni, not the harness, decides who is primary.
/// </summary>
public sealed class PatroniManager : IClusterManager
{
    /// <summary>The Debian packages the manager needs, for the error that names the fix.</summary>
    public const string Packages = "patroni etcd-server python3-etcd";

    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Patroni;

    /// <inheritdoc/>
    public bool Supports(IClusterBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.Name == ClusterAxisNames.Local;
    }

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    /// <inheritdoc/>
    public async Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = ImmutableArray.CreateBuilder<string>();
        var missing = new List<string>();
        foreach (var (binary, _) in Binaries)
        {
            if (await VersionAsync(binary, cancellationToken).ConfigureAwait(false) is null)
            {
                missing.Add(binary);
            }
        }

        if (missing.Count > 0)
        {
            problems.Add($"manager patroni needs {string.Join(" and ", missing)}, not found on PATH; install them: apt-get install {Packages}");
        }

        try
        {
            request.Patroni.Validate();
            if (request.Spec.ReplicationMode == ReplicationMode.Quorum)
            {
                problems.Add("replication: quorum is not available with manager patroni (Patroni 3.0 has no quorum commit); use sync or async.");
            }
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
        var findings = ImmutableArray.CreateBuilder<AxisFinding>();
        foreach (var (binary, package) in Binaries)
        {
            findings.Add(await VersionAsync(binary, cancellationToken).ConfigureAwait(false) is { } version
                ? AxisFinding.Ok($"{binary} {version}")
                : AxisFinding.Missing($"{binary}: not on PATH; install it: apt-get install {package}"));
        }

        return findings.ToImmutable();
    }

    /// <inheritdoc/>
    public async Task<BackendCluster> StartAsync(ClusterRequest request, IClusterBackend backend, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(phase);
        phase($"starting etcd ({request.Patroni.EtcdMembers} member{(request.Patroni.EtcdMembers == 1 ? string.Empty : "s")}) and Patroni: {ClusterShape.Of(request.Spec)}");
        var router = network.Router ?? new DirectLinkRouter();
        // Asked beside the bring-up, not before it: each is a process start (Python for patroni).
        var versions = Task.WhenAll(Binaries.Select(async b => (b.Binary, Version: await VersionAsync(b.Binary, cancellationToken).ConfigureAwait(false))));
        var cluster = await PatroniCluster.StartAsync(
            request.Spec,
            new PatroniClusterOptions
            {
                LogDirectory = request.LogDirectory,
                KeepData = request.KeepData,
                LinkRouter = router,
                WorkRoot = request.WorkRoot,
                Settings = request.Patroni,
            },
            cancellationToken).ConfigureAwait(false);
        cluster.Versions = (await versions.ConfigureAwait(false)).ToImmutableSortedDictionary(v => v.Binary, v => v.Version ?? "unknown", StringComparer.Ordinal);
        return new BackendCluster(
            cluster,
            router,
            network.LinkFaults,
            ProxyKind: null,
            ProxyVersion: null,
            [
                $"work directory: {cluster.WorkDirectory}",
                $"logs: {cluster.LogDirectory}",
                $"leader: {cluster.Primary.Name}; etcd: {string.Join(", ", cluster.Etcd.Members.Select(m => m.ClientUrl))}",
                $"patroni REST: {string.Join(", ", cluster.Nodes.Select(n => $"{n.Name} http://127.0.0.1:{n.RestPort}"))}",
            ]);
    }

    /// <summary>Patroni's etcd members (<c>dcs1</c>..) and each node's <c>peers</c>, <c>api</c> and DCS links.</summary>
    public ManagedTopology Topology(ClusterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        int members = request.Patroni.EtcdMembers;
        const string node = ManagedTopology.NodePlaceholder;
        return new ManagedTopology(
            Name,
            [.. Enumerable.Range(1, members).Select(PatroniCluster.DcsName)],
            [PatroniLinkNames.Peers(node), PatroniLinkNames.Api(node), .. Enumerable.Range(1, members).Select(m => PatroniLinkNames.Dcs(node, m, members))]);
    }

    private static readonly (string Binary, string Package)[] Binaries = [("patroni", "patroni python3-etcd"), ("etcd", "etcd-server")];

    /// <summary>The version the binary reports (<c>patroni 3.0.2</c>, <c>etcd Version: 3.4.23</c>), or null when it does not run.</summary>
    private static async Task<string?> VersionAsync(string binary, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProcessRunner.RunAsync(binary, ["--version"], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                return null;
            }

            var first = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
            return first.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
