using System.Diagnostics;
using ChaosPg.Cluster.Docker;
using Docker.DotNet.Models;

namespace ChaosPg.Cluster.Tests.Docker;

[Category("Docker")]
[NonParallelizable]
public class DockerReaperTests
{
    [Test]
    public async Task A_SIGKILLed_harness_leaves_no_container_network_or_volume_of_its_run_within_10_s()
    {
        var daemon = await DockerTestEnvironment.RequireDaemonAsync();

        var runId = await KilledDockerHarness.RunAsync(reaper: true);

        using var client = DockerDaemon.CreateClient(daemon);
        var filter = DockerLabels.Filter($"{DockerLabels.Run}={runId}");
        var clock = Stopwatch.StartNew();
        var left = new List<string>();
        do
        {
            left.Clear();
            left.AddRange((await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter })).Select(c => "container " + string.Join(",", c.Names)));
            left.AddRange((await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter })).Select(n => "network " + n.Name));
            left.AddRange(((await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter })).Volumes ?? []).Select(v => "volume " + v.Name));
            if (left.Count > 0)
            {
                await Task.Delay(100);
            }
        }
        while (left.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(10));

        TestContext.Out.WriteLine($"run {runId}: {left.Count} Docker object(s) left after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.That(left, Is.Empty);
    }
}
