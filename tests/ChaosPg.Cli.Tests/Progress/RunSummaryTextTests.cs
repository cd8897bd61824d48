using ChaosPg.Cli.Progress;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Progress;

public sealed class RunSummaryTextTests
{
    private const string Yaml = "name: one\ndescription: Proves one thing.\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\n";

    [Test]
    public void With_keep_data_the_last_line_of_a_run_names_every_kept_data_directory()
    {
        var text = Render(["/var/tmp/chaospg/runs/r/nodes/primary", "/var/tmp/chaospg/runs/r/nodes/replica1"]);

        Assert.That(text.TrimEnd('\n').Split('\n')[^1], Is.EqualTo("data kept (--keep-data): /var/tmp/chaospg/runs/r/nodes/primary /var/tmp/chaospg/runs/r/nodes/replica1"));
    }

    [Test]
    public void Without_keep_data_the_last_line_is_the_report()
    {
        Assert.That(Render(null).TrimEnd('\n').Split('\n')[^1], Does.StartWith("report: "));
    }

    private static string Render(IReadOnlyList<string>? kept)
    {
        var scenario = ScenarioParser.Parse(Yaml, "one.yaml").GetScenarioOrThrow();
        var root = Path.Combine(Path.GetTempPath(), $"chaospg-summary-{Guid.NewGuid():N}");
        try
        {
            var folder = RunFolder.Create(root, scenario.Name, DateTimeOffset.UtcNow, 7);
            var result = new ScenarioRunResult(scenario, 7, folder, RunResults.Failure("the run was cancelled", lostWritesAllowed: false), TimeSpan.FromSeconds(1), kept);
            return RunSummaryText.Render(result);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
