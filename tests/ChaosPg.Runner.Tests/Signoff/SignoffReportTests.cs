using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Tests.Reports;

namespace ChaosPg.Runner.Tests.Signoff;

/// <summary>The suite index of a sign-off, built from the stored failover fixture run (no cluster).</summary>
public sealed class SignoffReportTests
{
    private FixtureRun fixture = null!;

    [SetUp]
    public void CopyTheFixture() => fixture = new FixtureRun();

    [TearDown]
    public void RemoveTheCopy() => fixture.Delete();

    [Test]
    public async Task A_signoff_index_carries_the_summary_the_environment_and_the_signature_block_and_keeps_them_on_rebuild()
    {
        var suite = Path.Combine(fixture.Root, "signoff");
        var manifest = await new RunFolder(fixture.Path).ReadManifestAsync();

        await SuiteReportBuilder.WriteAsync(suite, "chaospg signoff", [fixture.Path], signoff: true);
        File.Delete(Path.Combine(suite, SuiteReportBuilder.IndexFileName));
        var index = await File.ReadAllTextAsync(await SuiteReportBuilder.RebuildAsync(suite));

        Assert.That(index, Does.Contain("id=\"signoff\"").And.Contain("id=\"signoff-environment\"").And.Contain("id=\"signature-block\""));
        Assert.That(index, Does.Contain($"<td>{manifest.ReplicationMode}</td>").And.Contain(manifest.PostgresVersion));
    }

    [Test]
    public async Task A_plain_suite_index_has_no_signoff_section()
    {
        var index = await File.ReadAllTextAsync(await SuiteReportBuilder.WriteAsync(Path.Combine(fixture.Root, "suite"), "nightly", [fixture.Path]));

        Assert.That(index, Does.Not.Contain("id=\"signoff\""));
    }
}
