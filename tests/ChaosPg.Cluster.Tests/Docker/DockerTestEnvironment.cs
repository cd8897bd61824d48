using ChaosPg.Cluster.Docker;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>
/// What the Docker-category tests run against: the daemon, and the images (CHAOSPG_TEST_PG_IMAGES, comma-separated,
/// default chaospg/postgres:15,chaospg/postgres:17; CHAOSPG_TEST_TOXIPROXY_IMAGE, default chaospg/toxiproxy:latest).
/// Without a daemon the tests are ignored, unless CHAOSPG_REQUIRE_DOCKER=1 (as .ci/run sets), where they fail.
/// </summary>
internal static class DockerTestEnvironment
{
    public static IEnumerable<string> PgImages =>
        (Environment.GetEnvironmentVariable("CHAOSPG_TEST_PG_IMAGES") is { Length: > 0 } images ? images : "chaospg/postgres:15,chaospg/postgres:17")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string ToxiproxyImage =>
        Environment.GetEnvironmentVariable("CHAOSPG_TEST_TOXIPROXY_IMAGE") is { Length: > 0 } image ? image : "chaospg/toxiproxy:latest";

    /// <summary>Ignores (or, when Docker is required, fails) the calling test when no daemon answers; returns what it said.</summary>
    public static async Task<DockerDaemonInfo> RequireDaemonAsync()
    {
        try
        {
            return await DockerDaemon.ProbeAsync();
        }
        catch (ClusterConfigurationException e) when (Environment.GetEnvironmentVariable("CHAOSPG_REQUIRE_DOCKER") != "1")
        {
            Assert.Ignore($"Docker tests need a daemon: {e.Message}");
            throw;
        }
    }

    public static async Task<DockerCluster> StartAsync(string pgImage, ClusterSpec? spec = null)
    {
        await RequireDaemonAsync();
        return await DockerCluster.StartAsync(
            spec ?? new ClusterSpecBuilder().WithReplicas(1).Build(),
            new DockerClusterOptions { PgImage = pgImage, ToxiproxyImage = ToxiproxyImage });
    }
}
