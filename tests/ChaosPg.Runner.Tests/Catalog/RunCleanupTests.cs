using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Catalog;

/// <summary>Runs that cannot start, finish or are cancelled end as a result, and leave no process or directory behind.</summary>
[Category("Local")]
[NonParallelizable]
public class RunCleanupTests
{
    private const string ShortScenario = """
        name: short-partition
        description: A short partition of the WAL link, for cleanup checks.
        cluster:
          replicas: 1
        workload:
          kind: bank
          writers: 2
          readers: 1
          rate: 50
        duration: 4s
        schedule:
          - at: 1s
            fault: partition
            target: replica1->primary
            for: 1s
        """;

    private string workRoot = string.Empty;
    private string reports = string.Empty;

    [SetUp]
    public void CreateDirectories()
    {
        // A work root of its own: other runs on the machine must not count as this test's leftovers.
        workRoot = Path.Combine("/var/tmp", $"chaospg-cleanup-{Guid.NewGuid():N}");
        reports = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports-cleanup");
    }

    [TearDown]
    public void DeleteWorkRoot()
    {
        if (Directory.Exists(workRoot))
        {
            Directory.Delete(workRoot, recursive: true);
        }
    }

    [Test]
    public async Task A_cluster_that_cannot_start_is_an_error_result_not_a_verdict()
    {
        var options = new ScenarioRunOptions { ReportsRoot = reports, WorkRoot = workRoot, PgBinDirectory = "/nonexistent/pg/bin" };

        var result = await new ScenarioRunner(options).RunAsync(Parse(), "short.yaml");

        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Error));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Results.Error, Does.Contain("/nonexistent/pg/bin"));
        Assert.That(File.Exists(result.Folder.ResultsPath), Is.True, "the error is recorded in results.json");
        Assert.That(File.Exists(result.Folder.ReportPath), Is.True, "and shown in the report");
        AssertNothingLeft();
    }

    [Test]
    public async Task A_finished_run_leaves_no_process_or_data_directory_behind()
    {
        var options = new ScenarioRunOptions { ReportsRoot = reports, WorkRoot = workRoot };

        var result = await new ScenarioRunner(options).RunAsync(Parse(), "short.yaml");

        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Passed), () => result.Results.Reason());
        Assert.That(File.ReadAllText(result.Folder.HistoryPath), Does.Contain("\"kind\":\"partition\""));
        AssertNothingLeft();
    }

    [Test]
    public async Task A_cancelled_run_tears_down_and_says_it_was_cancelled()
    {
        var options = new ScenarioRunOptions { ReportsRoot = reports, WorkRoot = workRoot, Progress = new CancelWhenRunning() };
        using var cancellation = new CancellationTokenSource();
        ((CancelWhenRunning)options.Progress).Source = cancellation;

        var result = await new ScenarioRunner(options).RunAsync(Parse(), "short.yaml", cancellation.Token);

        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Error));
        Assert.That(result.Results.Error, Does.Contain("cancelled"));
        AssertNothingLeft();
    }

    private static Scenario Parse() => ScenarioParser.Parse(ShortScenario, "short.yaml").GetScenarioOrThrow();

    private void AssertNothingLeft()
    {
        var runs = Path.Combine(workRoot, "runs");
        Assert.That(Directory.Exists(runs) ? Directory.GetDirectories(runs) : [], Is.Empty, "no run directory is left");
        Assert.That(ProcessesUnder(workRoot), Is.Empty, "no server process of this work root is left");
    }

    private static List<string> ProcessesUnder(string root)
    {
        var found = new List<string>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(root, StringComparison.Ordinal))
                {
                    found.Add(commandLine);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return found;
    }

    /// <summary>Test double of a progress display: cancels the run once the workload runs.</summary>
    private sealed class CancelWhenRunning : IRunProgress
    {
        public CancellationTokenSource? Source { get; set; }

        public void OnPhase(string scenario, string phase)
        {
            if (phase.StartsWith("running", StringComparison.Ordinal))
            {
                Source?.CancelAfter(TimeSpan.FromSeconds(1));
            }
        }

        public void OnEvent(string scenario, string text)
        {
        }

        public void OnTick(RunTick tick)
        {
        }

        public void OnRunCompleted(ScenarioRunResult result)
        {
        }
    }
}
