using System.Collections.Immutable;
using ChaosPg.Cluster.Networks.Kernel;
using ChaosPg.Cluster.Providers;
using ChaosPg.Toxiproxy;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// The <c>docker</c> backend: nodes are containers (<see cref="DockerCluster"/>) behind a Toxiproxy container of
/// their own network, so the proxy network mode starts nothing on the host for it; in the kernel mode, containers on
/// a network of the run's own /24 whose links are faulted by iptables/tc rules in their namespaces, and the kernel
/// network mode makes no namespace on the host for it either.
/// </summary>
public sealed class DockerBackend : IClusterBackend
{
    /// <inheritdoc/>
    public string Name => ClusterAxisNames.Docker;

    /// <inheritdoc/>
    public ImmutableArray<string> Networks { get; } = [ClusterAxisNames.Proxy, ClusterAxisNames.Kernel];

    /// <inheritdoc/>
    public bool ProvidesOwnProxy => true;

    /// <inheritdoc/>
    public ClusterFacts Plan(ClusterRequest request, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        return IsKernel(request)
            ? facts with { PgImage = request.PgImage }
            : facts with { ProxyKind = ToxiproxyKind.Container, PgImage = request.PgImage, ToxiproxyImage = request.ToxiproxyImage };
    }

    /// <summary>That a daemon answers and holds the images (no Toxiproxy one in the kernel mode): ChaosPg never pulls.</summary>
    public async Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var daemon = await DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
            using var client = DockerDaemon.CreateClient(daemon);
            var tags = await DockerDaemon.ImageTagsAsync(client, cancellationToken).ConfigureAwait(false);
            var missing = Images(request).FirstOrDefault(i => !DockerDaemon.HasImage(tags, i.Item1));
            return missing.Item1 is null
                ? []
                : [$"the image {missing.Item1} ({missing.Item2}) is not present in the Docker daemon and ChaosPg never pulls: `docker pull {missing.Item1}`, or build ChaosPg's own with docker/images/build.sh and pass {missing.Item2}"];
        }
        catch (ClusterConfigurationException e)
        {
            return [e.Message];
        }
    }

    /// <summary>
    /// The daemon, its API version, the images ChaosPg uses and the templates it made. Docker is optional (only this
    /// backend needs it), so its absence is reported, not an error. Asked over the daemon's socket: no docker CLI needed.
    /// </summary>
    public async Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default)
    {
        DockerDaemonInfo daemon;
        try
        {
            daemon = await DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterConfigurationException e)
        {
            return [AxisFinding.Absent($"{e.Message} (only the Docker backend needs it)")];
        }

        var api = daemon.ApiVersion < DockerDaemon.TestcontainersApiVersion
            ? $"API {daemon.ApiVersion.ToString(2)}, older than Testcontainers' {DockerDaemon.TestcontainersApiVersion.ToString(2)}: ChaosPg pins DOCKER_API_VERSION={daemon.ApiVersion.ToString(2)} and runs without Ryuk"
            : $"API {daemon.ApiVersion.ToString(2)}";
        using var client = DockerDaemon.CreateClient(daemon);
        var tags = await DockerDaemon.ImageTagsAsync(client, cancellationToken).ConfigureAwait(false);
        var relevant = tags.Where(t => t.StartsWith("chaospg/", StringComparison.Ordinal) || t.StartsWith("postgres:", StringComparison.Ordinal) || t.Contains("toxiproxy", StringComparison.Ordinal)).ToList();
        var defaults = string.Join(", ", new[] { DockerClusterOptions.DefaultPgImage, DockerClusterOptions.DefaultToxiproxyImage }
            .Select(image => $"{image} {(DockerDaemon.HasImage(tags, image) ? "present" : "absent")}"));
        return [AxisFinding.Ok(
            $"docker daemon {daemon.ServerVersion} at {daemon.Endpoint.LocalPath} ({api})\n" +
            $"        images: {(relevant.Count == 0 ? "none for ChaosPg (build them with docker/images/build.sh)" : string.Join(", ", relevant))}\n" +
            $"        defaults: {defaults}\n" +
            $"        templates: {await TemplatesAsync(client, cancellationToken).ConfigureAwait(false)}")];
    }

    /// <inheritdoc/>
    public async Task<BackendCluster> StartAsync(ClusterRequest request, NetworkSession network, Action<string> phase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(phase);
        var options = new DockerClusterOptions { PgImage = request.PgImage, ToxiproxyImage = request.ToxiproxyImage, LogDirectory = request.LogDirectory };
        if (IsKernel(request))
        {
            var runId = KernelTopology.NewRunId();
            options = options with { Kernel = KernelTopology.ForContainers(runId, await KernelNetwork.FreeSubnetAsync(runId, cancellationToken).ConfigureAwait(false), request.Spec.NodeNames) };
            phase($"starting containers ({request.PgImage}, kernel rules on {options.Kernel.Subnet}): {ClusterShape.Of(request.Spec)}");
        }
        else
        {
            phase($"starting containers ({request.PgImage}, {request.ToxiproxyImage}): {ClusterShape.Of(request.Spec)}");
        }

        var cluster = await DockerCluster.StartAsync(request.Spec, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var notes = ImmutableArray.Create($"docker run: {cluster.RunId} (containers and networks labelled {DockerLabels.Run}={cluster.RunId})");
            if (options.Kernel is { } kernel)
            {
                return new BackendCluster(cluster, cluster.Router!, cluster.LinkFaults, null, null, notes.Add($"kernel rules: in the containers' namespaces on {kernel.Subnet} (clients from the gateway {kernel.HostAddress})"));
            }

            var version = await cluster.Proxy!.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            return new BackendCluster(cluster, cluster.Router!, cluster.LinkFaults, ToxiproxyKind.Container, version, notes);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsKernel(ClusterRequest request) => request.Network == ClusterAxisNames.Kernel;

    private static IEnumerable<(string Image, string Option)> Images(ClusterRequest request) =>
        IsKernel(request) ? [(request.PgImage, "--pg-image")] : [(request.PgImage, "--pg-image"), (request.ToxiproxyImage, "--toxiproxy-image")];

    // The images whose data template (docker/README.md) the daemon holds: a run on another image makes one first.
    private static async Task<string> TemplatesAsync(DockerClient client, CancellationToken cancellationToken)
    {
        var images = await client.Images.ListImagesAsync(new ImagesListParameters(), cancellationToken).ConfigureAwait(false);
        var names = images
            .Where(i => i.Labels?.ContainsKey(DockerLabels.Template) == true)
            .Select(t => images.FirstOrDefault(i => t.Labels.TryGetValue(DockerLabels.TemplateImage, out var id) && i.ID == id))
            .Select(i => i?.RepoTags?.FirstOrDefault(t => t != "<none>:<none>") ?? i?.ID[..19] ?? "an image no longer present")
            .Order(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? "none yet (the first run on an image makes its template)" : string.Join(", ", names);
    }
}
