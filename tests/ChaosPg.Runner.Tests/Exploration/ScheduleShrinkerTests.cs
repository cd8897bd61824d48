using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Exploration;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Exploration;

public class ScheduleShrinkerTests
{
    private static readonly Link Wal = new("replica1", NodeNames.Primary);
    private static readonly Link Client = Link.ClientTo(NodeNames.Primary);

    // Noise around the three steps that make the simulated cluster lose writes.
    private static readonly ImmutableArray<ScheduleStep> Failing =
    [
        new LatencyFault(S(1), Client, Ms(200), Ms(40), LatencyDirection.Both, S(2)),
        new PauseFault(S(1.5), "replica1", S(1)),
        new PartitionFault(S(2), new LinkTarget(Wal)),
        new RestartFault(S(3), "replica1"),
        new BandwidthFault(S(3.5), Client, 64, S(1)),
        new KillFault(S(4), NodeNames.Primary),
        new PromoteAction(S(4.5), "replica1"),
        new ResetFault(S(5), Link.ClientTo("replica1"), S(1)),
        new RejoinAction(S(6), NodeNames.Primary),
        new HealAction(S(8)),
        new WaitConvergedAction(S(8), S(20)),
    ];

    private static readonly ImmutableArray<ScheduleStep> Minimal =
    [
        new PartitionFault(S(2), new LinkTarget(Wal)),
        new KillFault(S(4), NodeNames.Primary),
        new PromoteAction(S(4.5), "replica1"),
        new HealAction(S(8)),
        new WaitConvergedAction(S(8), S(20)),
    ];

    [Test]
    public async Task The_shrinker_finds_exactly_the_steps_that_make_the_simulated_cluster_lose_writes()
    {
        var simulation = new SimulatedLossCluster();
        var failing = Scenario(Failing);
        var first = await simulation.RunAsync(failing, 1);

        var result = await Shrinker(simulation, new ShrinkOptions { Tries = 1, MaxRuns = 500 }).ShrinkAsync(failing, first);

        Assert.That(result.Scenario.Schedule, Is.EqualTo(Minimal), () => ScheduleSummary.Of(result.Scenario.Schedule));
        Assert.That(result.Stop, Is.EqualTo(ShrinkStop.Minimal));
        Assert.That(result.ShrinkSteps, Is.GreaterThanOrEqualTo(3));
        Assert.That(result.Failure.Verdict, Is.EqualTo(TrialVerdict.Violated));
    }

    [Test]
    public async Task A_flaky_simulation_still_shrinks_to_the_minimal_schedule_with_retries()
    {
        // Loses on half of the runs of a losing schedule: with 8 tries a losing candidate is missed 1 time in 256.
        var simulation = new SimulatedLossCluster(failureProbability: 0.5, randomSeed: 11);
        var failing = Scenario(Failing);
        var first = new TrialResult(TrialVerdict.Violated, "durability invalid", 1, null, TimeSpan.Zero);

        var result = await Shrinker(simulation, new ShrinkOptions { Tries = 8, MaxRuns = 2000 }).ShrinkAsync(failing, first);

        Assert.That(result.Scenario.Schedule, Is.EqualTo(Minimal), () => ScheduleSummary.Of(result.Scenario.Schedule));
        Assert.That(result.Runs, Is.GreaterThan(result.ShrinkSteps * 2), "losing candidates needed retries");
    }

    [Test]
    public async Task Without_retries_a_flaky_failure_is_missed_and_the_schedule_stays_larger()
    {
        var failing = Scenario(Failing);
        var first = new TrialResult(TrialVerdict.Violated, "durability invalid", 1, null, TimeSpan.Zero);

        var once = await Shrinker(new SimulatedLossCluster(0.3, 5), new ShrinkOptions { Tries = 1, MaxRuns = 2000 }).ShrinkAsync(failing, first);
        var retried = await Shrinker(new SimulatedLossCluster(0.3, 5), new ShrinkOptions { Tries = 20, MaxRuns = 5000 }).ShrinkAsync(failing, first);

        Assert.That(retried.Scenario.Schedule, Is.EqualTo(Minimal));
        Assert.That(once.Scenario.Schedule.Length, Is.GreaterThan(Minimal.Length));
    }

    [Test]
    public async Task A_candidate_that_fails_once_but_not_in_its_confirmation_run_is_not_accepted()
    {
        // A test double: the minimal schedule loses every time, any other candidate only on its first run, as a
        // loss by timing luck does.
        var trial = new FirstRunOnlyLoss();
        var failing = Scenario(Failing);
        var first = new TrialResult(TrialVerdict.Violated, "durability invalid", 1, null, TimeSpan.Zero);

        var unconfirmed = await Shrinker(trial, new ShrinkOptions { Tries = 1, MaxRuns = 2000 }).ShrinkAsync(failing, first);
        var confirmed = await Shrinker(new FirstRunOnlyLoss(), new ShrinkOptions { Tries = 1, MaxRuns = 2000, Confirmations = 1 }).ShrinkAsync(failing, first);

        Assert.That(SimulatedLossCluster.Loses(unconfirmed.Scenario.Schedule), Is.False, "without confirmation a lucky failure becomes the reproducer");
        Assert.That(SimulatedLossCluster.Loses(confirmed.Scenario.Schedule), Is.True, () => ScheduleSummary.Of(confirmed.Scenario.Schedule));
        Assert.That(confirmed.Scenario.Schedule, Is.EqualTo(Minimal), () => ScheduleSummary.Of(confirmed.Scenario.Schedule));
    }

    [Test]
    public async Task Shrinking_stops_at_the_run_budget_with_the_smallest_failing_schedule_so_far()
    {
        var simulation = new SimulatedLossCluster();
        var failing = Scenario(Failing);
        var first = await simulation.RunAsync(failing, 1);

        var result = await Shrinker(simulation, new ShrinkOptions { Tries = 2, MaxRuns = 3 }).ShrinkAsync(failing, first);

        Assert.That(result.Stop, Is.EqualTo(ShrinkStop.Budget));
        Assert.That(result.Runs, Is.EqualTo(3));
        Assert.That(SimulatedLossCluster.Loses(result.Scenario.Schedule), Is.True);
        Assert.That(result.Scenario.Schedule.Length, Is.LessThan(Failing.Length));
    }

    [Test]
    public async Task Any_generated_schedule_the_simulation_loses_on_shrinks_to_a_wal_fault_a_kill_and_a_promote()
    {
        var options = new ScheduleGeneratorOptions { Replicas = 2, MaxSteps = 6, Weights = ScheduleWeights.Failovers };
        var losing = Enumerable.Range(1, 400)
            .Select(seed => ScheduleGenerator.Sample(options, seed))
            .Where(s => SimulatedLossCluster.Loses(s))
            .Take(25)
            .ToList();
        Assert.That(losing, Has.Count.EqualTo(25));

        foreach (var schedule in losing)
        {
            var simulation = new SimulatedLossCluster();
            var scenario = Scenario(schedule, replicas: 2);
            var result = await Shrinker(simulation, new ShrinkOptions { Tries = 1, MaxRuns = 1000 }).ShrinkAsync(scenario, await simulation.RunAsync(scenario, 1));

            var kinds = result.Scenario.Schedule.Take(ScheduleGenerator.MoveCount(result.Scenario.Schedule)).Select(s => s.Keyword).Order().ToList();
            Assert.That(kinds, Is.EquivalentTo(new[] { "kill", "promote", kinds.Contains("latency") ? "latency" : "partition" }), () => ScheduleSummary.Of(result.Scenario.Schedule));
            Assert.That(result.Scenario.Schedule[^2], Is.InstanceOf<HealAction>());
            Assert.That(result.Scenario.Schedule[^1], Is.InstanceOf<WaitConvergedAction>());
        }
    }

    private static ScheduleShrinker Shrinker(IScheduleTrial trial, ShrinkOptions options)
    {
        long seed = 100;
        return new ScheduleShrinker(trial, options, () => ++seed);
    }

    private static Scenario Scenario(ImmutableArray<ScheduleStep> schedule, int replicas = 1)
    {
        var scenario = ExploreScenario.Create(ExploreProperty.Durability, replicas, ReplicationMode.Async, S(10), schedule);
        Assert.That(ShrinkCandidates.IsExplorable(scenario, requireAllNodesBack: false), Is.True, "the starting schedule must be one the explorer accepts");
        return scenario;
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Test double: schedules the simulated cluster loses on always violate; any other violates on its first run only.</summary>
    private sealed class FirstRunOnlyLoss : IScheduleTrial
    {
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);

        public Task<TrialResult> RunAsync(Scenario scenario, long seed, CancellationToken cancellationToken = default)
        {
            var first = seen.Add(ScheduleSummary.Of(scenario.Schedule));
            var violated = SimulatedLossCluster.Loses(scenario.Schedule) || first;
            return Task.FromResult(new TrialResult(violated ? TrialVerdict.Violated : TrialVerdict.Held, violated ? "durability invalid" : "held", seed, null, TimeSpan.Zero));
        }
    }
}
