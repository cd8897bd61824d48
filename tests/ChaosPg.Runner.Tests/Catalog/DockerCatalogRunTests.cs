using ChaosPg.Cluster;
using ChaosPg.Cluster.Tests.Docker;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Catalog;

/// <summary>
/// The catalog's synchronous primary kill, replica partition, split-brain and isolated-replica scenarios on the Docker
/// backend, on every PostgreSQL image under test (by default ChaosPg's air-gapped PostgreSQL 15 and 17): the same files
/// and the same expected verdicts as on local processes (where isolation is a network disconnect of the container).
/// </summary>
[Category("Docker")]
[NonParallelizable]
public class DockerCatalogRunTests
{
    private static readonly string[] Catalog = ["sync-primary-kill-zero-loss", "replica-partition-heal", "split-brain-paused-primary", "isolated-replica-catches-up"];

    public static IEnumerable<TestCaseData> Cases()
    {
        var directory = ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory)
            ?? throw new DirectoryNotFoundException("scenarios/ not found above the test directory");
        return from image in DockerTestEnvironment.PgImages
               from name in Catalog
               select new TestCaseData(Path.Combine(directory, name + ".yaml"), image).SetName($"{name} on {image}");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task The_scenario_meets_its_expected_verdicts_in_containers(string file, string pgImage)
    {
        await DockerTestEnvironment.RequireDaemonAsync();
        var options = new ScenarioRunOptions
        {
            ReportsRoot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports-docker"),
            Backend = ChaosPg.Cluster.Providers.ClusterAxisNames.Docker,
            PgImage = pgImage,
            ToxiproxyImage = DockerTestEnvironment.ToxiproxyImage,
        };

        var result = await new ScenarioRunner(options).RunFileAsync(file);

        TestContext.Out.WriteLine($"run folder: {result.Folder.Path}");
        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Passed), () => CatalogRunTests.Evidence(result));
        Assert.That(await CatalogRunTests.IsolationMethodsAsync(result), Is.All.EqualTo("network-disconnect"), "a container is isolated by a network disconnect");
        var manifest = await result.Folder.ReadManifestAsync();
        Assert.That(manifest.Backend, Is.EqualTo("docker"));
        Assert.That((manifest.PgImage, manifest.ToxiproxyImage), Is.EqualTo((pgImage, DockerTestEnvironment.ToxiproxyImage)), "a replay runs on the same images");
        Assert.That(manifest.PostgresVersion, Does.StartWith(pgImage.EndsWith(":17", StringComparison.Ordinal) ? "17." : pgImage.EndsWith(":15", StringComparison.Ordinal) ? "15." : string.Empty));
        Assert.That(File.Exists(Path.Combine(result.Folder.LogsDirectory, "primary.log")), Is.True, "the container logs are kept in the run folder");
    }
}
