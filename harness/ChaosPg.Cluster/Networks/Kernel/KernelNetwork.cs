using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// The <c>kernel</c> network mode: every local node in a network namespace of the run, joined by veth pairs to a
/// bridge in another run namespace, and link faults as iptables/tc rules in those namespaces (no relay in the data
/// path). The harness and the workload stay in the root namespace and reach the bridge over one veth of the run.
/// A backend that carries its own links (Docker: containers, <see cref="Docker.DockerKernelShell"/>) gets no
/// namespace from this mode: the backend applies the same rules in its containers' namespaces.
/// Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and ip, iptables, tc, nsenter, for either backend.
/// </summary>
public sealed class KernelNetwork : INetworkMode
{
    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Kernel;

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts) => facts;

    /// <inheritdoc/>
    public Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult<ImmutableArray<string>>(Problem() is { } problem ? [problem] : []);
    }

    /// <summary>Why the kernel mode cannot run here (one line, naming the fix), or null.</summary>
    public static string? Problem() =>
        !KernelProbe.IsPrivileged
            ? "network kernel needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) to make network namespaces and iptables rules; run as root or use network: proxy"
            : KernelProbe.MissingTool() is { } tool
                ? $"network kernel needs '{tool}' on PATH (Debian: apt-get install {(tool == "nsenter" ? "util-linux" : tool == "ip" || tool == "tc" ? "iproute2" : tool)}); or use network: proxy"
                : null;

    /// <summary>Per backend: the local one's namespaces, and the Docker one's rules in its containers (which need its daemon on this host).</summary>
    public async Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = ImmutableArray.CreateBuilder<AxisFinding>();
        var problem = Problem();
        findings.Add(problem is not null
            ? AxisFinding.Absent($"local: namespaces + iptables: {problem}")
            : AxisFinding.Ok($"local: namespaces + iptables: {string.Join(", ", KernelProbe.Tools.Select(t => KernelProbe.Which(t)))}; runs as root"));
        findings.Add(await DockerFindingAsync(problem, cancellationToken).ConfigureAwait(false));
        findings.Add(KernelProbe.NetemAvailable
            ? AxisFinding.Ok("tc netem: available (latency faults in kernel scenarios)")
            : AxisFinding.Absent("tc netem: not available on this kernel (no sch_netem): a latency fault in a kernel scenario is a validation error; partition, reset, loss and bandwidth (tbf) work"));
        return findings.ToImmutable();
    }

    /// <inheritdoc/>
    public async Task<NetworkSession> StartAsync(ClusterRequest request, IClusterBackend backend, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(phase);
        if (Problem() is { } problem)
        {
            throw new ClusterConfigurationException(problem);
        }

        if (backend.ProvidesOwnProxy)
        {
            return new NetworkSession(Name);
        }

        phase("making the run's network namespaces");
        return await StartSessionAsync(request.Spec.NodeNames, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sweeps dead runs, then makes a topology for <paramref name="nodes"/> and the session that owns it.</summary>
    public static async Task<NetworkSession> StartSessionAsync(IEnumerable<string> nodes, CancellationToken cancellationToken = default)
    {
        if (Problem() is { } problem)
        {
            throw new ClusterConfigurationException(problem);
        }

        await KernelSweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
        var runId = KernelTopology.NewRunId();
        var subnet = await FreeSubnetAsync(runId, cancellationToken).ConfigureAwait(false);
        var topology = KernelTopology.Create(runId, subnet, nodes);
        // The owner file first: a harness killed at any point after this leaves a run the sweep can find.
        await KernelOwnerFile.Of(topology).WriteAsync(cancellationToken).ConfigureAwait(false);
        var resources = new KernelNetworkResources(topology);
        try
        {
            await KernelShell.RunAsync(KernelSetup.Create(topology), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await resources.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var router = new KernelLinkRouter(topology);
        return new NetworkSession(ClusterAxisNames.Kernel, router, new KernelLinkFaults(router), proxy: null, new KernelNodeNetwork(topology), resources);
    }

    private static async Task<AxisFinding> DockerFindingAsync(string? problem, CancellationToken cancellationToken)
    {
        const string What = "docker: iptables/tc in each container's namespace, entered from the host with nsenter (no iptables in the image, no CAP_NET_ADMIN for the containers)";
        if (problem is not null)
        {
            return AxisFinding.Absent($"{What}: {problem}");
        }

        try
        {
            var daemon = await Docker.DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return AxisFinding.Ok($"{What}; daemon {daemon.ServerVersion} at {daemon.Endpoint.LocalPath}, which must run on this host");
        }
        catch (ClusterConfigurationException e)
        {
            return AxisFinding.Absent($"{What}: {e.Message}");
        }
    }

    /// <summary>A /24 that no address or route of the root namespace (a Docker network's included), and no live kernel run, already uses.</summary>
    internal static async Task<string> FreeSubnetAsync(string runId, CancellationToken cancellationToken)
    {
        var addresses = await ProcessRunner.RunAsync("ip", ["-4", "-o", "addr", "show"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var routes = await ProcessRunner.RunAsync("ip", ["-4", "route", "show", "table", "all"], cancellationToken: cancellationToken).ConfigureAwait(false);
        // Runs that recorded their subnet but have not added its address yet count too.
        var owned = System.IO.Directory.Exists(KernelOwnerFile.Directory)
            ? System.IO.Directory.GetFiles(KernelOwnerFile.Directory, "*.json")
                .Select(f => KernelOwnerFile.TryRead(Path.GetFileNameWithoutExtension(f)))
                .OfType<KernelOwnerFile>()
                .Where(o => o.OwnerIsAlive)
                .Select(o => " " + o.Subnet.Replace("0/24", string.Empty, StringComparison.Ordinal))
            : [];
        var taken = addresses.StandardOutput + "\n" + routes.StandardOutput + "\n" + string.Join("\n", owned);
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = KernelTopology.PreferredSubnet(runId, attempt);
            if (!taken.Contains(" " + candidate + ".", StringComparison.Ordinal) && !taken.Contains("\n" + candidate + ".", StringComparison.Ordinal)
                && !taken.StartsWith(candidate + ".", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new ClusterConfigurationException("network kernel found no free 10.200-249.x.0/24 subnet on this machine");
    }
}
