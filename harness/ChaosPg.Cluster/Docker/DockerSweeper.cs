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
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [DockerLabels.Run] = true } };
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

        return [.. dead.Order(StringComparer.Ordinal)];
    }
}
