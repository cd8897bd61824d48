using ChaosPg.Cluster.Providers;
using ChaosPg.Runner.Scenarios;
using NUnit.Framework;

namespace ChaosPg.Runner.Tests.Scenarios;

public class CatalogTests
{
    private static readonly string Root = FindRepositoryRoot();

    private static string CatalogDirectory => Path.Combine(Root, "scenarios");

    public static IEnumerable<TestCaseData> Files() =>
        Directory.EnumerateFiles(CatalogDirectory, "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName($"Catalog {Path.GetFileName(path)}"));

    [TestCaseSource(nameof(Files))]
    public async Task Every_catalog_scenario_parses_validates_and_is_documented(string path)
    {
        string text = await File.ReadAllTextAsync(path);
        string fileName = Path.GetFileNameWithoutExtension(path);

        Scenario scenario = await ScenarioParser.LoadAsync(path);

        Assert.That(scenario.Name, Is.EqualTo(fileName), "the scenario is named after its file");
        Assert.That(text, Does.StartWith($"# {fileName}\n# Proves"), "the file opens with a comment header saying what it proves");
        Assert.That(scenario.Duration, Is.InRange(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25)), "CI runs the whole catalog");
        string readme = await File.ReadAllTextAsync(Path.Combine(CatalogDirectory, "README.md"));
        Assert.That(readme, Does.Contain($"[{fileName}.yaml]({fileName}.yaml)"), "the README's catalog table lists the file");
    }

    [Test]
    public void The_catalog_holds_the_release_set_and_the_hazards()
    {
        var scenarios = Directory.EnumerateFiles(CatalogDirectory, "*.yaml")
            .Select(path => ScenarioParser.Parse(File.ReadAllText(path), path).GetScenarioOrThrow())
            .ToList();

        Assert.That(scenarios.Where(s => s.Tags.Contains(Scenario.ReleaseTag)).Select(s => s.Name), Is.SupersetOf(new[]
        {
            "replica-partition-heal", "sync-primary-kill-zero-loss", "failover-rejoin-converges", "quorum-one-partitioned",
        }));
        Assert.That(scenarios.Single(s => s.Name == "sync-commit-cancel-loss").Expect.Durability, Is.EqualTo(ExpectedVerdict.Invalid));
        Assert.That(scenarios.Single(s => s.Name == "split-brain-paused-primary").Expect.SplitBrain, Is.EqualTo(ExpectedVerdict.Invalid));
    }

    public static IEnumerable<TestCaseData> ComparisonRuns() =>
        from path in Directory.EnumerateFiles(Path.Combine(CatalogDirectory, "compare"), "*.yaml").Order(StringComparer.Ordinal)
        from manager in ClusterProviderRegistry.Default.Managers.Keys.Where(m => m != ClusterAxisNames.None).Order(StringComparer.Ordinal)
        select new TestCaseData(path, manager).SetName($"Compare {Path.GetFileName(path)} under {manager}");

    [TestCaseSource(nameof(ComparisonRuns))]
    public async Task Every_comparison_scenario_is_written_in_roles_and_runs_under_every_manager(string path, string manager)
    {
        string fileName = Path.GetFileNameWithoutExtension(path);
        var parsed = ScenarioParser.Parse(await File.ReadAllTextAsync(path), path, manager);

        Assert.That(parsed.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(parsed.Scenario!.Name, Is.EqualTo($"compare-{fileName}"));
        Assert.That(parsed.Scenario.Cluster.Manager, Is.EqualTo(manager));
        Assert.That(parsed.Scenario.Expect.SplitBrain, Is.EqualTo(ExpectedVerdict.Any), "a comparison measures; the managers compared section judges");
        string doc = await File.ReadAllTextAsync(Path.Combine(Root, "docs", "managers-compared.md"));
        Assert.That(doc, Does.Contain($"compare/{fileName}.yaml"), "docs/managers-compared.md gives its figures");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChaosPg.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ChaosPg.sln above {AppContext.BaseDirectory}.");
    }
}
