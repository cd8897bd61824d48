using ChaosPg.Cluster;
using ChaosPg.Runner.Exploration;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;
using NUnit.Framework.Interfaces;

namespace ChaosPg.Runner.Tests.Exploration;

/// <summary>Explore sessions on real local clusters (PostgreSQL processes behind Toxiproxy), with small budgets.</summary>
[Category("Chaos")]
[NonParallelizable]
public class ExploreChaosTests
{
    // Runs draw seeds 9, 10 and 11: the first two hold 1 s of latency on replica1's WAL link when the primary is
    // killed, so the asynchronous loss is hundreds of writes and every shrink candidate that keeps it fails reliably.
    // With seed 42 the first counterexample was a single in-flight write lost without any latency: a real loss, but
    // one that reproduces only now and then, so shrinking it on one try per candidate stalled at four steps in CI.
    private const long Seed = 8;
    private string root = null!;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("chaospg-explore-chaos-").FullName;

    [TearDown]
    public void DeleteRoot()
    {
        // A failed session's folders stay for the post-mortem; the path is in the test output.
        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Passed)
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task Asynchronous_failover_loses_writes_shrinks_to_at_most_three_steps_and_the_written_file_replays_the_loss()
    {
        var result = await ExploreAsync(ReplicationMode.Async);

        Assert.That(result.Shrink, Is.Not.Null, $"no counterexample (seed {Seed}, folder {result.Directory})");
        var minimal = result.Shrink!.Scenario;
        Assert.That(ScheduleGenerator.MoveCount(minimal.Schedule), Is.LessThanOrEqualTo(3), () => $"seed {Seed}: {ScheduleSummary.Of(minimal.Schedule)}");
        Assert.That(result.Shrink.Failure.Reason, Does.StartWith("durability invalid"));

        // What `chaospg run minimal.yaml --seed S` does. A loss of a few writes depends on timing, so up to three tries.
        var runner = new ScenarioRunner(new ScenarioRunOptions { ReportsRoot = Path.Combine(root, "replay"), Seed = result.Shrink.Failure.Seed });
        var verdicts = new List<string>();
        for (int attempt = 0; attempt < 3 && !verdicts.Contains("invalid"); attempt++)
        {
            var replay = await runner.RunFileAsync(result.MinimalScenarioPath!);
            verdicts.Add(replay.Results.Suite?.Find("durability")?.Verdict.ToString().ToLowerInvariant() ?? replay.Results.Reason());
            Assert.That(replay.ExitCode, Is.Not.EqualTo(2), replay.Results.Reason());
        }

        Assert.That(verdicts, Has.Member("invalid"), $"seed {Seed}: replays of {result.MinimalScenarioPath} gave {string.Join(", ", verdicts)}");
    }

    [Test]
    public async Task Synchronous_replication_shows_no_violation_within_the_same_budget()
    {
        var result = await ExploreAsync(ReplicationMode.Sync);

        Assert.That(result.Shrink, Is.Null, () => $"seed {Seed}: {result.Shrink!.Failure.Reason}; {ScheduleSummary.Of(result.Shrink.Scenario.Schedule)}");
        Assert.That(result.Explored, Has.Length.EqualTo(3));
        Assert.That(result.Explored.Count(r => r.Verdict == TrialVerdict.Held), Is.GreaterThanOrEqualTo(2), () => string.Join("; ", result.Explored.Select(r => r.Reason)));
    }

    private async Task<ExploreResult> ExploreAsync(ReplicationMode replication)
    {
        var options = new ExploreOptions
        {
            Property = ExploreProperty.Durability,
            Replication = replication,
            Seed = Seed,
            Runs = 3,
            MaxSteps = 3,
            Weights = ScheduleWeights.Failovers,
            Retries = 1,
            // A loss of one write can come from a lucky race; a candidate that fails three times running (its try and
            // two confirmations) replays. With one confirmation, CI once kept a kill-only candidate that lost 1 write
            // twice and then none in three replays.
            Confirmations = 2,
            ShrinkRuns = 10,
            Budget = TimeSpan.FromMinutes(4),
            ReportsRoot = root,
        };
        TestContext.Out.WriteLine($"explore {replication} seed {Seed} into {root}");
        var result = await new Explorer(options, directory => new ClusterTrial(new ScenarioRunOptions(), directory), line => TestContext.Out.WriteLine(line)).RunAsync();
        Assert.That(result.Explored.Count(r => r.Verdict == TrialVerdict.Inconclusive), Is.LessThan(result.Explored.Length), () => string.Join("; ", result.Explored.Select(r => r.Reason)));
        return result;
    }
}
