using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Signoff;

namespace ChaosPg.Runner.Tests.Signoff;

/// <summary>A sign-off on the local backend over a small catalog of real release scenarios (about 20 s each).</summary>
[Category("Chaos")]
[NonParallelizable]
public class SignoffRunTests
{
    private string root = null!;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("chaospg-signoff-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public async Task A_signoff_whose_runs_meet_their_expectations_writes_the_summary_and_exits_0()
    {
        var catalog = Catalog(("replica-partition-heal", null), ("sync-primary-kill-zero-loss", null));
        var suite = Path.Combine(root, "report");

        var result = await SignoffRunner.RunAsync(await SignoffRunner.ReleaseFilesAsync(catalog), 1, 1000, suite, new ScenarioRunOptions());

        Assert.That(result.ExitCode, Is.EqualTo(0), () => string.Join("\n", result.Summary.Unmet.Select(u => $"{u.Scenario} {u.Checker}: {u.Evidence}")));
        Assert.That(result.Summary.Modes.Select(m => m.Mode), Is.EqualTo(new[] { "async", "sync" }));
        Assert.That(result.Summary.Modes.Single(m => m.Mode == "sync").WorstLostWrites, Is.EqualTo(0));
        var index = await File.ReadAllTextAsync(Path.Combine(suite, "index.html"));
        Assert.That(index, Does.Contain("id=\"signoff\"").And.Contain("PASS: every expectation of 2 runs met").And.Contain("id=\"signature-block\""));
        Assert.That(File.Exists(Path.Combine(suite, "junit.xml")) && File.Exists(Path.Combine(suite, "suite.json")), Is.True);
    }

    [Test]
    public async Task A_signoff_with_an_unmet_expectation_exits_1_and_names_the_scenario_in_the_banner()
    {
        // The partition heals and nothing is promoted, so split-brain is valid: expecting invalid cannot be met.
        var catalog = Catalog(("replica-partition-heal", "expects-split-brain"));
        var suite = Path.Combine(root, "report");

        var result = await SignoffRunner.RunAsync(await SignoffRunner.ReleaseFilesAsync(catalog), 1, 7, suite, new ScenarioRunOptions());

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Summary.Unmet.Select(u => (u.Scenario, u.Seed, u.Checker)), Is.EqualTo(new[] { ("expects-split-brain", (long?)7, "split-brain") }));
        var index = await File.ReadAllTextAsync(Path.Combine(suite, "index.html"));
        Assert.That(index, Does.Contain("FAIL: expects-split-brain").And.Contain("chaospg replay "));
    }

    // Copies catalog scenarios into a temp folder; a new name makes a copy expect split-brain invalid.
    private string Catalog(params (string Scenario, string? FailingCopy)[] scenarios)
    {
        var source = ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory)
            ?? throw new DirectoryNotFoundException("scenarios/ not found above the test directory");
        var catalog = Directory.CreateDirectory(Path.Combine(root, "catalog")).FullName;
        foreach (var (scenario, failingCopy) in scenarios)
        {
            var text = File.ReadAllText(Path.Combine(source, scenario + ".yaml"));
            if (failingCopy is not null)
            {
                text = text.Replace($"name: {scenario}", $"name: {failingCopy}", StringComparison.Ordinal)
                    .Replace("split-brain: valid", "split-brain: invalid", StringComparison.Ordinal);
            }

            File.WriteAllText(Path.Combine(catalog, (failingCopy ?? scenario) + ".yaml"), text);
        }

        return catalog;
    }
}
