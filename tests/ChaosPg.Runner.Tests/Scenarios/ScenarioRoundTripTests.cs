using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using ReplicationMode = ChaosPg.Cluster.ReplicationMode;

namespace ChaosPg.Runner.Tests.Scenarios;

public class ScenarioRoundTripTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property A_written_scenario_parses_back_to_the_same_scenario() =>
        Prop.ForAll(Arb.From(ScenarioGenerators.Scenario()), scenario =>
        {
            Assert.That(ScenarioValidator.Validate(scenario), Is.Empty, "the generator must produce valid scenarios");
            string yaml = ScenarioWriter.Write(scenario);

            ScenarioParseResult result = ScenarioParser.Parse(yaml, "written.yaml");

            Assert.That(result.Errors, Is.Empty, () => yaml + string.Join("\n", result.Errors));
            Assert.That(result.Scenario, Is.EqualTo(scenario), () => yaml);
        });

    [Test]
    public void A_kernel_scenario_with_loss_and_a_one_way_partition_is_written_and_parsed_back_the_same()
    {
        var wal = new Link("replica1", "primary");
        var scenario = new Scenario(
            "kernel-round-trip",
            "loss and a one-way partition",
            [],
            new ScenarioCluster(2, ReplicationMode.Async, null, "on", System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty) { Network = "kernel" },
            new ScenarioWorkload("bank", 2, 0, null, null),
            TimeSpan.FromSeconds(20),
            [
                new PartitionFault(TimeSpan.FromSeconds(1), new LinkTarget(wal), TimeSpan.FromSeconds(2)) { Direction = LatencyDirection.Downstream },
                new LossFault(TimeSpan.FromSeconds(4), wal, 0.25, LatencyDirection.Upstream, TimeSpan.FromSeconds(2)),
            ],
            ScenarioExpectations.Default);
        Assert.That(ScenarioValidator.Validate(scenario), Is.Empty);
        string yaml = ScenarioWriter.Write(scenario);

        ScenarioParseResult result = ScenarioParser.Parse(yaml, "written.yaml");

        Assert.That(result.Errors, Is.Empty, () => yaml);
        Assert.That(result.Scenario, Is.EqualTo(scenario), () => yaml);
        Assert.That(yaml, Does.Contain("probability: 0.25").And.Contain("direction: downstream"));
    }

    [Test]
    public void Generated_schedules_are_not_trivial()
    {
        var scenarios = ScenarioGenerators.Scenario().Sample(200, 50);

        Assert.That(scenarios.Average(s => s.Schedule.Length), Is.GreaterThan(3));
        Assert.That(scenarios.SelectMany(s => s.Schedule).Select(step => step.Keyword).Distinct().Count(), Is.EqualTo(13));
    }
}
