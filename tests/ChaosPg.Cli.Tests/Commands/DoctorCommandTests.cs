using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>`chaospg doctor` against the machine's real Docker daemon (ignored without one unless CHAOSPG_REQUIRE_DOCKER=1).</summary>
[Category("Docker")]
public sealed class DoctorCommandTests
{
    [Test]
    public async Task Doctor_reports_the_daemon_its_API_version_the_images_and_the_templates()
    {
        DockerDaemonInfo daemon;
        try
        {
            daemon = await DockerDaemon.ProbeAsync();
        }
        catch (ClusterConfigurationException e) when (Environment.GetEnvironmentVariable("CHAOSPG_REQUIRE_DOCKER") != "1")
        {
            Assert.Ignore($"needs a Docker daemon: {e.Message}");
            return;
        }

        using var client = DockerDaemon.CreateClient(daemon);
        var tags = await DockerDaemon.ImageTagsAsync(client);
        var (originalOut, output) = (Console.Out, new StringWriter());
        Console.SetOut(output);
        try
        {
            await Program.Main(["doctor"]);
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        var report = output.ToString();
        Assert.That(report, Does.Contain($"docker daemon {daemon.ServerVersion}").And.Contain($"API {daemon.ApiVersion.ToString(2)}"));
        var images = report.Split('\n').Single(line => line.TrimStart().StartsWith("images:", StringComparison.Ordinal));
        foreach (var tag in tags.Where(t => t.StartsWith("chaospg/", StringComparison.Ordinal)))
        {
            Assert.That(images, Does.Contain(tag));
        }

        Assert.That(report, Does.Contain("defaults: postgres:16 ").And.Contain("templates: "));
    }
}
