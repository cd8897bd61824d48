using System.Globalization;
using System.Text;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Catalog;

/// <summary>Every scenario of the catalog, run on a real local cluster, must meet the verdicts it expects.</summary>
[Category("Chaos")]
[NonParallelizable]
public class CatalogRunTests
{
    public static IEnumerable<TestCaseData> Scenarios()
    {
        var directory = ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory)
            ?? throw new DirectoryNotFoundException("scenarios/ not found above the test directory");
        return ScenarioCatalog.FilesIn(directory).Select(file => new TestCaseData(file).SetName(Path.GetFileNameWithoutExtension(file)));
    }

    [TestCaseSource(nameof(Scenarios))]
    public async Task The_scenario_meets_its_expected_verdicts(string file)
    {
        var options = new ScenarioRunOptions { ReportsRoot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports") };

        var result = await new ScenarioRunner(options).RunFileAsync(file);

        TestContext.Out.WriteLine($"run folder: {result.Folder.Path}");
        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Passed), () => Evidence(result));
        Assert.That(await IsolationMethodsAsync(result), Is.All.EqualTo("blackhole-links"), "local processes share the loopback");
    }

    /// <summary>The method each isolate event of the run's history records.</summary>
    internal static async Task<IEnumerable<string>> IsolationMethodsAsync(ScenarioRunResult result)
    {
        var history = await HistoryReader.ReadAsync(result.Folder.HistoryPath);
        return history.Events.Where(e => e.Kind == EventKind.Isolate).Select(e => e.Parameters.GetValueOrDefault("method", "none"));
    }

    internal static string Evidence(ScenarioRunResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{result.Results.Reason()}\nrun folder: {result.Folder.Path}\n");
        foreach (var unmet in result.Results.Expectations.Where(e => !e.Met))
        {
            text.Append(CultureInfo.InvariantCulture, $"{unmet.Checker}: {unmet.Reason}\n");
            if (result.Results.Suite?.Find(unmet.Checker) is { } checker)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {checker.Summary}\n");
                foreach (var evidence in checker.Evidence.Take(10))
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {evidence.Id}: {evidence.What}\n");
                }
            }
        }

        return text.ToString();
    }
}
