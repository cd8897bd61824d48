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
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
        }

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var network in networks.Where(n => !DockerLabels.OwnerIsAlive(n.Labels)))
        {
            dead.Add(network.Labels[DockerLabels.Run]);
            await client.Networks.DeleteNetworkAsync(network.ID, cancellationToken).ConfigureAwait(false);
        }

        var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        foreach (var volume in (volumes.Volumes ?? []).Where(v => !DockerLabels.OwnerIsAlive(v.Labels)))
        {
            dead.Add(volume.Labels[DockerLabels.Run]);
            await client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken).ConfigureAwait(false);
        }

        await SweepTemplatesAsync(client, cancellationToken).ConfigureAwait(false);
        return [.. dead.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Removes the templates (see DockerTemplate) of images the daemon no longer has, and the data volumes that no
    /// template's index names and whose builder is dead (a build that was killed).
    /// </summary>
    private static async Task SweepTemplatesAsync(DockerClient client, CancellationToken cancellationToken)
    {
        var filter = DockerLabels.Filter(DockerLabels.TemplateData);
        var volumes = (await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false)).Volumes ?? [];
        var images = (await client.Images.ListImagesAsync(new ImagesListParameters { All = true }, cancellationToken).ConfigureAwait(false)).Select(i => i.ID).ToHashSet(StringComparer.Ordinal);
        var committed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in volumes.Where(v => v.Labels.ContainsKey(DockerLabels.Template)))
        {
            if (index.Labels.TryGetValue(DockerLabels.TemplateImage, out var image) && images.Contains(image))
            {
                committed.Add(index.Labels[DockerLabels.TemplateData]);
            }
            else
            {
                await client.Volumes.RemoveAsync(index.Name, force: true, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var data in volumes.Where(v => !v.Labels.ContainsKey(DockerLabels.Template) && !committed.Contains(v.Name) && !DockerLabels.OwnerIsAlive(v.Labels)))
        {
            await client.Volumes.RemoveAsync(data.Name, force: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
