using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// Removes the containers, networks and volumes of runs whose harness died (SIGKILL, crash): with Ryuk turned off
/// nothing else would. A run is judged by its owner labels (<see cref="DockerLabels"/>), so a live harness's
/// containers are never touched.
/// </summary>
public static class DockerSweeper
{
    /// <summary>Sweeps every dead run; returns the run ids removed.</summary>
    public static async Task<IReadOnlyList<string>> SweepAsync(DockerClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var filter = DockerLabels.Filter(DockerLabels.Run);
        var dead = new HashSet<string>(StringComparer.Ordinal);

        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var container in containers.Where(c => !DockerLabels.OwnerIsAlive(c.Labels)))
        {
            dead.Add(container.Labels[DockerLabels.Run]);
            await GoneAsync(client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken)).ConfigureAwait(false);
        }

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var network in networks.Where(n => !DockerLabels.OwnerIsAlive(n.Labels)))
        {
            dead.Add(network.Labels[DockerLabels.Run]);
            await GoneAsync(client.Networks.DeleteNetworkAsync(network.ID, cancellationToken)).ConfigureAwait(false);
        }

        var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var volume in (volumes.Volumes ?? []).Where(v => !DockerLabels.OwnerIsAlive(v.Labels)))
        {
            dead.Add(volume.Labels[DockerLabels.Run]);
            await GoneAsync(client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken)).ConfigureAwait(false);
        }

        await SweepTemplatesAsync(client, cancellationToken).ConfigureAwait(false);
        return [.. dead.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Removes every container (with its volumes), volume and network carrying <paramref name="label"/>
    /// (<c>name=value</c>); returns one line per object removed. An object someone else removes meanwhile (the run's
    /// reaper and a sweep may race) is not an error.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveLabelledAsync(DockerClient client, string label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var filter = DockerLabels.Filter(label);
        var removed = new List<string>();
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var container in containers)
        {
            if (await GoneAsync(client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken)).ConfigureAwait(false))
            {
                removed.Add($"removed container {string.Join(",", container.Names ?? [])} ({container.ID[..12]})");
            }
        }

        var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var volume in volumes.Volumes ?? [])
        {
            if (await GoneAsync(client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken)).ConfigureAwait(false))
            {
                removed.Add($"removed volume {volume.Name}");
            }
        }

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var network in networks)
        {
            if (await GoneAsync(client.Networks.DeleteNetworkAsync(network.ID, cancellationToken)).ConfigureAwait(false))
            {
                removed.Add($"removed network {network.Name}");
            }
        }

        return removed;
    }

    /// <summary>True when the removal succeeded, false when the object was gone already or being removed by someone else.</summary>
    private static async Task<bool> GoneAsync(Task removal)
    {
        try
        {
            await removal.ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the template images (see DockerTemplate) that no run will use again, unless a container still does:
    /// those of images the daemon no longer has under a tag, those made by another version of the init scripts (their
    /// key is not the one this harness computes), and untagged ones (the loser of two builds at once).
    /// </summary>
    private static async Task SweepTemplatesAsync(DockerClient client, CancellationToken cancellationToken)
    {
        var images = await client.Images.ListImagesAsync(new ImagesListParameters { All = true }, cancellationToken).ConfigureAwait(false);
        var tagged = images.Where(i => i.RepoTags?.Any(t => t != "<none>:<none>") == true).Select(i => i.ID).ToHashSet(StringComparer.Ordinal);
        foreach (var template in images.Where(i => i.Labels?.ContainsKey(DockerLabels.Template) == true))
        {
            var current = tagged.Contains(template.ID)
                && template.Labels.TryGetValue(DockerLabels.TemplateImage, out var source) && tagged.Contains(source)
                && template.Labels[DockerLabels.Template] == DockerTemplate.KeyOf(source);
            if (current)
            {
                continue;
            }

            try
            {
                await client.Images.DeleteImageAsync(template.ID, new ImageDeleteParameters(), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // A container of a live run still uses it; a later sweep removes it.
            }
        }
    }
}
