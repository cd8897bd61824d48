using ChaosPg.Cluster.Docker;
using Docker.DotNet.Models;

namespace ChaosPg.Cluster.Tests.Docker;

[Category("Docker")]
[NonParallelizable]
public class DockerSweeperTests
{
    [Test]
    public async Task The_sweep_removes_the_containers_network_and_volumes_a_SIGKILLed_harness_left()
    {
        var daemon = await DockerTestEnvironment.RequireDaemonAsync();
        // Without its reaper, which would otherwise remove everything before the sweep gets a chance (DockerReaperTests).
        var runId = await KilledDockerHarness.RunAsync(reaper: false);
        using var client = DockerDaemon.CreateClient(daemon);
        var filter = DockerLabels.Filter($"{DockerLabels.Run}={runId}");
        var left = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter });
        Assert.That(left.Count(c => c.State == "running"), Is.EqualTo(3), "precondition: the killed harness left primary, replica and proxy running");

        var removed = await DockerSweeper.SweepAsync(client);

        Assert.That(removed, Does.Contain(runId));
        Assert.That(await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }), Is.Empty);
        Assert.That(await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }), Is.Empty);
        Assert.That((await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter })).Volumes ?? [], Is.Empty);
    }

    [Test]
    public async Task The_sweep_leaves_a_run_whose_harness_is_alive()
    {
        await using var cluster = await DockerTestEnvironment.StartAsync(DockerTestEnvironment.PgImages.First());

        var removed = await DockerSweeper.SweepAsync(cluster.Client);

        Assert.That(removed, Does.Not.Contain(cluster.RunId));
        Assert.That((await cluster.Primary.GetStatusAsync()).Role, Is.EqualTo(NodeRole.Primary));
    }
}
