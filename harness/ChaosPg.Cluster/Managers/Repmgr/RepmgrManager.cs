using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// The <c>repmgr</c> manager: repmgr and one repmgrd per node (<see cref="RepmgrCluster"/>), optionally a witness, on
/// the local backend, every link through the network mode's router. repmgrd, not the harness, decides who is primary.
/// </summary>
public sealed class RepmgrManager : IClusterManager
{
    private static readonly string[] Programs = ["repmgr", "repmgrd"];

    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Repmgr;

    /// <inheritdoc/>
    public bool Supports(IClusterBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.Name == ClusterAxisNames.Local;
    }

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    /// <summary>What a schedule may name: the witness (with one), each node's <c>peers</c> link and, with a witness, its link to it.</summary>
    public ManagedTopology Topology(ClusterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string node = ManagedTopology.NodePlaceholder;
        return request.Repmgr.Witness
            ? new ManagedTopology(Name, [RepmgrLinkNames.WitnessName], [RepmgrLinkNames.Peers(node), RepmgrLinkNames.Witness(node)])
            : new ManagedTopology(Name, [], [RepmgrLinkNames.Peers(node)]);
    }

    /// <inheritdoc/>
    public async Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = ImmutableArray.CreateBuilder<string>();
        try
        {
            request.Repmgr.Validate();
            var binaries = await PgBinariesLocator.LocateAsync(request.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (MissingBinary(binaries) is { } missing)
            {
                problems.Add(missing);
            }
        }
        catch (ClusterConfigurationException e)
        {
            // A missing PostgreSQL is the backend's finding, said once there; a bad setting is ours.
            if (!e.Message.Contains("PostgreSQL", StringComparison.Ordinal))
            {
                problems.Add(e.Message);
            }
        }

        return problems.ToImmutable();
    }

    /// <inheritdoc/>
    public async Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var binaries = await PgBinariesLocator.LocateAsync(request.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            return MissingBinary(binaries) is { } missing
                ? [AxisFinding.Missing(missing)]
                : [AxisFinding.Ok($"repmgr {await VersionAsync(binaries, cancellationToken).ConfigureAwait(false) ?? "unknown"} (repmgr, repmgrd in {binaries.BinDirectory})")];
        }
        catch (ClusterConfigurationException e)
        {
            return [AxisFinding.Absent($"repmgr: {e.Message}")];
        }
    }

    /// <inheritdoc/>
    public async Task<BackendCluster> StartAsync(ClusterRequest request, IClusterBackend backend, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(phase);
        phase($"starting repmgr (repmgrd on every node{(request.Repmgr.Witness ? ", a witness" : string.Empty)}): {ClusterShape.Of(request.Spec)}");
        var router = network.Router ?? new DirectLinkRouter();
        var cluster = await RepmgrCluster.StartAsync(
            request.Spec,
            new RepmgrClusterOptions
            {
                LogDirectory = request.LogDirectory,
                KeepData = request.KeepData,
                LinkRouter = router,
                WorkRoot = request.WorkRoot,
                Settings = request.Repmgr,
            },
            cancellationToken).ConfigureAwait(false);
        cluster.Versions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("repmgr", await VersionAsync(cluster.Binaries, cancellationToken).ConfigureAwait(false) ?? "unknown")]);
        return new BackendCluster(
            cluster,
            router,
            network.LinkFaults,
            ProxyKind: null,
            ProxyVersion: null,
            [
                $"work directory: {cluster.WorkDirectory}",
                $"logs: {cluster.LogDirectory}",
                $"primary: {cluster.Primary.Name}; repmgrd on {string.Join(", ", cluster.Nodes.Select(n => n.Name))}{(cluster.Auxiliaries.IsEmpty ? string.Empty : " and the witness")}",
            ]);
    }

    /// <summary>The one-line error when <paramref name="binaries"/>' directory has no repmgr or repmgrd; null when both are there.</summary>
    internal static string? MissingBinary(PgBinaries binaries)
    {
        var missing = Programs.Where(b => !File.Exists(binaries.Tool(b))).ToList();
        return missing.Count == 0
            ? null
            : $"manager repmgr needs {string.Join(" and ", missing)} in {binaries.BinDirectory}, not found; install them: apt-get install postgresql-{binaries.MajorVersion}-repmgr";
    }

    /// <summary>What <c>repmgr --version</c> says (<c>5.3.3</c>), or null when it does not run.</summary>
    private static async Task<string?> VersionAsync(PgBinaries binaries, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProcessRunner.RunAsync(binaries.Tool("repmgr"), ["--version"], cancellationToken: cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0 ? result.StandardOutput.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
