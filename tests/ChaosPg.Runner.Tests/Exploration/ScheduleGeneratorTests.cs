using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Exploration;
using ChaosPg.Runner.Scenarios;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Runner.Tests.Exploration;

public class ScheduleGeneratorTests
{
    private static readonly Gen<(ScheduleGeneratorOptions Options, ImmutableArray<ScheduleStep> Schedule)> Generated =
        from replicas in Gen.Choose(1, 3)
        from seconds in Gen.Choose(5, 20)
        from maxSteps in Gen.Choose(1, 8)
        from allBack in Gen.Elements(true, false)
        from weights in Gen.Elements(ScheduleWeights.Uniform, ScheduleWeights.Failovers)
        let options = new ScheduleGeneratorOptions
        {
            Replicas = replicas,
            Duration = TimeSpan.FromSeconds(seconds),
            MaxSteps = maxSteps,
            RequireAllNodesBack = allBack,
            Weights = weights,
        }
        from schedule in ScheduleGenerator.Schedule(options)
        select (options, schedule);

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property Every_generated_schedule_is_valid_and_ends_with_heal_and_wait_converged() =>
        Prop.ForAll(Arb.From(Generated), generated =>
        {
            var (options, schedule) = generated;
            var scenario = ExploreScenario.Create(ExploreProperty.Durability, options.Replicas, ReplicationMode.Async, options.Duration, schedule);

            Assert.That(scenario.Plan().Issues, Is.Empty, () => ScheduleSummary.Of(schedule));
            Assert.That(ScenarioValidator.Validate(scenario), Is.Empty, () => ScheduleSummary.Of(schedule));
            Assert.That(schedule[ScheduleGenerator.MoveCount(schedule)], Is.InstanceOf<HealAction>());
            Assert.That(schedule.Skip(ScheduleGenerator.MoveCount(schedule) + 1).SkipLast(1), Is.All.InstanceOf<RejoinAction>());
            Assert.That(schedule[^1], Is.InstanceOf<WaitConvergedAction>());
            Assert.That(ShrinkCandidates.IsExplorable(scenario, options.RequireAllNodesBack), Is.True, () => ScheduleSummary.Of(schedule));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Every_shrink_candidate_is_valid_and_no_larger() =>
        Prop.ForAll(Arb.From(Generated), generated =>
        {
            var (options, schedule) = generated;
            var scenario = ExploreScenario.Create(ExploreProperty.Convergence, options.Replicas, ReplicationMode.Sync, options.Duration, schedule);

            foreach (var candidate in ShrinkCandidates.Of(scenario, options.RequireAllNodesBack))
            {
                Assert.That(ScenarioValidator.Validate(candidate), Is.Empty);
                Assert.That(candidate.Schedule.Length, Is.LessThanOrEqualTo(schedule.Length));
                Assert.That(candidate.Schedule, Is.Not.EqualTo(schedule));
            }
        });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Every_generated_scenario_validates_for_every_property_and_replication_mode() =>
        Prop.ForAll(
            Arb.From(
                from property in Gen.Elements(ExploreProperty.Durability, ExploreProperty.Convergence)
                from replication in Gen.Elements(ReplicationMode.Async, ReplicationMode.Sync, ReplicationMode.Quorum)
                from replicas in Gen.Choose(1, 5)
                from scenario in ExploreScenario.Generate(new ExploreOptions { Property = property, Replication = replication, Replicas = replicas })
                select scenario),
            scenario => Assert.That(ScenarioValidator.Validate(scenario), Is.Empty, () => ScheduleSummary.Of(scenario.Schedule)));

    [Test]
    public void The_same_seed_draws_the_same_schedule()
    {
        var options = new ScheduleGeneratorOptions { Replicas = 2 };

        var first = ScheduleGenerator.Sample(options, 1234);
        var again = ScheduleGenerator.Sample(options, 1234);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(Enumerable.Range(1, 20).Select(seed => ScheduleSummary.Of(ScheduleGenerator.Sample(options, seed))).Distinct().Count(), Is.GreaterThan(15));
    }

    [Test]
    public void Generated_schedules_use_every_fault_and_action_the_explorer_knows()
    {
        var options = new ScheduleGeneratorOptions { Replicas = 2, MaxSteps = 8 };

        var keywords = Enumerable.Range(1, 300).SelectMany(seed => ScheduleGenerator.Sample(options, seed)).Select(step => step.Keyword).ToHashSet();

        Assert.That(keywords, Is.EquivalentTo(new[]
        {
            "partition", "blackhole", "latency", "bandwidth", "reset", "kill", "pause", "restart", "promote", "rejoin", "heal", "wait-converged",
        }));
    }

    [Test]
    public void With_every_node_required_back_no_generated_schedule_ends_with_a_deposed_primary()
    {
        var options = new ScheduleGeneratorOptions { Replicas = 2, MaxSteps = 6, RequireAllNodesBack = true, Weights = ScheduleWeights.Failovers };

        var schedules = Enumerable.Range(1, 200).Select(seed => ScheduleGenerator.Sample(options, seed)).ToList();

        Assert.That(schedules.Count(s => s.OfType<PromoteAction>().Any()), Is.GreaterThan(100));
        Assert.That(schedules.All(s => s.OfType<PromoteAction>().Count() == s.OfType<RejoinAction>().Count()), Is.True);
    }

    [Test]
    public void A_promote_always_follows_a_kill_of_the_primary_for_good()
    {
        var options = new ScheduleGeneratorOptions { Replicas = 3, MaxSteps = 8, Weights = ScheduleWeights.Failovers };

        foreach (var schedule in Enumerable.Range(1, 200).Select(seed => ScheduleGenerator.Sample(options, seed)))
        {
            var primary = NodeNames.Primary;
            foreach (var (step, index) in schedule.Select((s, i) => (s, i)))
            {
                if (step is PromoteAction promote)
                {
                    Assert.That(schedule.Take(index).OfType<KillFault>().LastOrDefault(k => k.Node == primary && k.For is null), Is.Not.Null, () => ScheduleSummary.Of(schedule));
                    primary = promote.Node;
                }
            }
        }
    }
}
