using System.Diagnostics;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Tests.Local;
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
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { TestCluster.CliDll(), "cluster", "up", "--replicas", "1", "--backend", "docker", "--pg-image", DockerTestEnvironment.PgImages.First(), "--toxiproxy-image", DockerTestEnvironment.ToxiproxyImage })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var harness = Process.Start(startInfo)!;
        string? runId = null;
        try
        {
            while (await harness.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)) is { } line && line.StartsWith("ready", StringComparison.Ordinal) is false)
            {
                if (line.StartsWith("docker run: ", StringComparison.Ordinal))
                {
                    runId = line["docker run: ".Length..].Split(' ')[0];
                }
            }
        }
        finally
        {
            harness.Kill();
            await harness.WaitForExitAsync();
        }

        Assert.That(runId, Is.Not.Null, await harness.StandardError.ReadToEndAsync());
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
