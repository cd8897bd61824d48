using ChaosPg.Cluster.Tests.Docker;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Catalog;

/// <summary>
/// The catalog's kernel scenarios on the Docker backend, on the first PostgreSQL image under test: the same files and
/// the same expected verdicts as on local namespaces, with every link fault an iptables rule in the containers and no
/// Toxiproxy container (the run names no Toxiproxy image).
/// </summary>
[Category("Docker")]
[NonParallelizable]
public class DockerKernelCatalogRunTests
{
    private static readonly string[] Catalog = ["kernel-wal-one-way-partition", "kernel-wal-packet-loss", "kernel-sync-standby-partition", "kernel-client-half-open-kill"];

    public static IEnumerable<TestCaseData> Cases()
    {
        var directory = ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory)
            ?? throw new DirectoryNotFoundException("scenarios/ not found above the test directory");
        return Catalog.Select(name => new TestCaseData(Path.Combine(directory, name + ".yaml")).SetName($"{name} on docker"));
    }

    [TestCaseSource(nameof(Cases))]
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
}
