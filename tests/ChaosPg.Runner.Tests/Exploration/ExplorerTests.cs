using ChaosPg.Cluster;
using ChaosPg.Runner.Exploration;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Exploration;

public class ExplorerTests
{
    private string root = null!;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("chaospg-explore-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public async Task A_simulated_loss_is_found_shrunk_and_written_as_a_scenario_that_parses_back()
    {
        var lines = new List<string>();
        var options = new ExploreOptions { Seed = 3, Runs = 50, Weights = ScheduleWeights.Failovers, ReportsRoot = root };

        var result = await new Explorer(options, _ => new SimulatedLossCluster(), lines.Add).RunAsync();

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Shrink, Is.Not.Null);
        var written = await ScenarioParser.LoadAsync(result.MinimalScenarioPath!);
        Assert.That(written, Is.EqualTo(result.Shrink!.Scenario));
        Assert.That(ScheduleGenerator.MoveCount(written.Schedule), Is.EqualTo(3), () => ScheduleSummary.Of(written.Schedule));
        Assert.That(result.ReplayCommand, Is.EqualTo($"chaospg run {result.MinimalScenarioPath} --seed {result.Shrink.Failure.Seed}"));
        Assert.That(lines, Has.Some.StartsWith($"run {result.Explored.Length}/50"));
        Assert.That(lines, Has.Some.StartsWith("shrink run 1 "));
    }

    [Test]
    public async Task The_same_seed_explores_the_same_schedules()
    {
        var options = new ExploreOptions { Seed = 9, Runs = 5, ReportsRoot = root, Replication = ReplicationMode.Sync };
        var first = new List<string>();
        var second = new List<string>();

        await new Explorer(options, _ => new SimulatedLossCluster(0), first.Add).RunAsync();
        await new Explorer(options, _ => new SimulatedLossCluster(0), second.Add).RunAsync();

        Assert.That(second.Where(l => l.Contains("seed", StringComparison.Ordinal)), Is.EqualTo(first.Where(l => l.Contains("seed", StringComparison.Ordinal))));
    }

    [Test]
    public async Task Running_schedules_in_parallel_draws_the_same_schedules_and_shrinks_the_first_counterexample()
    {
        var sequential = await new Explorer(new ExploreOptions { Seed = 3, Runs = 50, Weights = ScheduleWeights.Failovers, ReportsRoot = root }, _ => new SimulatedLossCluster(), null).RunAsync();
        var parallel = await new Explorer(new ExploreOptions { Seed = 3, Runs = 50, Weights = ScheduleWeights.Failovers, ReportsRoot = root, Parallel = 4 }, _ => new SimulatedLossCluster(), null).RunAsync();

        var firstFailure = sequential.Explored.Length;
        Assert.That(parallel.Explored.Take(firstFailure).Select(r => r.Seed), Is.EqualTo(sequential.Explored.Select(r => r.Seed)));
        Assert.That(parallel.Explored, Has.Length.InRange(firstFailure, firstFailure + 3));
        Assert.That(parallel.Shrink!.Scenario, Is.EqualTo(sequential.Shrink!.Scenario));
    }

    [Test]
    public async Task A_counterexample_found_before_a_cancel_is_reported_unshrunk_with_exit_code_1()
    {
        using var cancel = new CancellationTokenSource();
        var options = new ExploreOptions { Seed = 3, Runs = 50, Weights = ScheduleWeights.Failovers, ReportsRoot = root };

        var result = await new Explorer(options, _ => new SimulatedLossCluster { AfterLoss = cancel.Cancel }, null).RunAsync(cancel.Token);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Shrink!.Stop, Is.EqualTo(ShrinkStop.Budget));
        Assert.That(result.Shrink.Runs, Is.Zero);
        Assert.That(File.Exists(result.MinimalScenarioPath), Is.True);
    }

    [Test]
    public async Task No_counterexample_within_the_runs_exits_zero_and_writes_no_scenario()
    {
        var options = new ExploreOptions { Seed = 5, Runs = 4, ReportsRoot = root };

        var result = await new Explorer(options, _ => new SimulatedLossCluster(0), null).RunAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Explored, Has.Length.EqualTo(4));
        Assert.That(result.MinimalScenarioPath, Is.Null);
        Assert.That(File.Exists(Path.Combine(result.Directory, Explorer.MinimalFileName)), Is.False);
    }
}
