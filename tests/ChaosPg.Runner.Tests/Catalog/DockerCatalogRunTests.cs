using ChaosPg.Cluster;
using ChaosPg.Cluster.Tests.Docker;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Catalog;

/// <summary>
/// The catalog's synchronous primary kill, replica partition, split-brain and isolated-replica scenarios on the Docker
/// backend, on every PostgreSQL image under test (by default ChaosPg's air-gapped PostgreSQL 15 and 17): the same files
/// and the same expected verdicts as on local processes (where isolation is a network disconnect of the container).
/// And the catalog's kernel scenarios on the first image, with every link fault an iptables rule in the containers
/// and no Toxiproxy container (the run is given an image that does not exist).
/// </summary>
[Category("Docker")]
[NonParallelizable]
public class DockerCatalogRunTests
{
    private static readonly string[] Catalog = ["sync-primary-kill-zero-loss", "replica-partition-heal", "split-brain-paused-primary", "isolated-replica-catches-up"];
    private static readonly string[] KernelCatalog = ["kernel-wal-one-way-partition", "kernel-wal-packet-loss", "kernel-sync-standby-partition", "kernel-client-half-open-kill"];

    public static IEnumerable<TestCaseData> Cases() =>
        from image in DockerTestEnvironment.PgImages
        from name in Catalog
        select new TestCaseData(ScenarioFile(name), image).SetName($"{name} on {image}");

    public static IEnumerable<TestCaseData> KernelCases() =>
        KernelCatalog.Select(name => new TestCaseData(ScenarioFile(name)).SetName($"{name} on docker"));

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

    [TestCaseSource(nameof(KernelCases))]
    public async Task The_kernel_scenario_meets_its_expected_verdicts_in_containers(string file)
    {
        await DockerTestEnvironment.RequireDaemonAsync();
        var options = new ScenarioRunOptions
        {
            ReportsRoot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports-docker-kernel"),
            Backend = ChaosPg.Cluster.Providers.ClusterAxisNames.Docker,
            PgImage = DockerTestEnvironment.PgImages.First(),
            ToxiproxyImage = "chaospg/no-such-image:0",
        };

        var result = await new ScenarioRunner(options).RunFileAsync(file);

        TestContext.Out.WriteLine($"run folder: {result.Folder.Path}");
        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Passed), () => CatalogRunTests.Evidence(result));
        var history = await HistoryReader.ReadAsync(result.Folder.HistoryPath);
        var linkFaults = history.Events.Where(e => e.Kind is EventKind.Partition or EventKind.Loss).ToList();
        Assert.That(linkFaults, Is.Not.Empty);
        Assert.That(linkFaults.Select(e => e.Parameters.GetValueOrDefault("method")), Is.All.StartWith("iptables-"), "each link fault says it was an iptables rule");
        var manifest = await result.Folder.ReadManifestAsync();
        Assert.That((manifest.Backend, manifest.NetworkMode), Is.EqualTo(("docker", "kernel")));
    }

    private static string ScenarioFile(string name) =>
        Path.Combine(
            ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory) ?? throw new DirectoryNotFoundException("scenarios/ not found above the test directory"),
            name + ".yaml");
}
