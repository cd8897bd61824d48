using ChaosPg.Cluster.Providers;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Managers.Repmgr;

public class RepmgrManagerTests
{
    [Test]
    public void The_repmgr_manager_is_registered_and_runs_on_the_local_backend_only()
    {
        var registry = ClusterProviderRegistry.Default;
        Assert.That(registry.Problem(ClusterAxis.Manager, "repmgr"), Is.Null);
        Assert.That(registry.Manager("repmgr").Supports(registry.Backend("local")), Is.True);
        Assert.That(registry.Manager("repmgr").Supports(registry.Backend("docker")), Is.False);
    }

    [Test]
    public async Task Doctor_finds_repmgr_and_repmgrd_beside_the_PostgreSQL_binaries_with_the_version()
    {
        var request = new ClusterRequest(ClusterSpec.CreateBuilder().WithPgBinDirectory(PgBin).Build()) { Manager = "repmgr" };
        var findings = await ClusterProviderRegistry.Default.Manager("repmgr").DescribeAsync(request);

        Assert.That(findings.Select(f => (f.Status, f.Text)), Has.One.Matches<(FindingStatus Status, string Text)>(f => f.Status == FindingStatus.Ok && f.Text.StartsWith("repmgr 5.", StringComparison.Ordinal)));
        Assert.That(await ClusterProviderRegistry.Default.Manager("repmgr").PreflightAsync(request), Is.Empty);
    }

    [Test]
    public async Task Preflight_names_the_package_when_the_bin_directory_has_no_repmgr()
    {
        var bin = Directory.CreateTempSubdirectory("chaospg-no-repmgr-");
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin.FullName, "postgres"), Path.Combine(PgBin, "postgres"));
            var request = new ClusterRequest(ClusterSpec.CreateBuilder().WithPgBinDirectory(bin.FullName).Build()) { Manager = "repmgr" };

            var problems = await ClusterProviderRegistry.Default.Manager("repmgr").PreflightAsync(request);

            Assert.That(problems, Is.EqualTo(new[] { $"manager repmgr needs repmgr and repmgrd in {bin.FullName}, not found; install them: apt-get install postgresql-15-repmgr" }));
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}
