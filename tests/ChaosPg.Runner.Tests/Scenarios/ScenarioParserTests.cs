using System.Collections.Immutable;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;
using NUnit.Framework;
using ReplicationMode = ChaosPg.Cluster.ReplicationMode;

namespace ChaosPg.Runner.Tests.Scenarios;

public class ScenarioParserTests
{
    private const string File = "bad.yaml";

    [Test]
    public void A_full_scenario_reads_into_the_model()
    {
        const string yaml = """
            name: full
            description: every key
            tags: [release, nightly]
            cluster:
              replicas: 3
              replication: quorum
              quorum: 2
              synchronous-commit: remote_apply
              settings:
                wal_sender_timeout: 5s
            workload:
              kind: orders
              writers: 4
              readers: 2
              rate: 150
              client-timeout: 750ms
            duration: 2m
            schedule:
              - at: 1s
                fault: latency
                target: replica1->primary
                latency: 200ms
                jitter: 20ms
                direction: downstream
                for: 3s
              - at: 5s
                fault: partition
                target: replica2
              - at: 6s
                action: promote
                target: replica1
              - at: 8s
                action: heal
              - at: 9s
                action: wait-converged
                deadline: 30s
            expect:
              durability: invalid
              split-brain: any
              lost-writes: allowed
            """;

        ScenarioParseResult result = ScenarioParser.Parse(yaml, "full.yaml");

        Assert.That(result.Errors, Is.Empty);
        Scenario scenario = result.Scenario!;
        Assert.That(scenario.Tags, Is.EqualTo(new[] { "release", "nightly" }));
        Assert.That(scenario.Cluster, Is.EqualTo(new ScenarioCluster(3, ReplicationMode.Quorum, 2, "remote_apply",
            new Dictionary<string, string> { ["wal_sender_timeout"] = "5s" }.ToImmutableSortedDictionary())));
        Assert.That(scenario.Workload, Is.EqualTo(new ScenarioWorkload("orders", 4, 2, 150, TimeSpan.FromMilliseconds(750))));
        Assert.That(scenario.Duration, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(scenario.Schedule, Is.EqualTo(new ScheduleStep[]
        {
            new LatencyFault(TimeSpan.FromSeconds(1), new Link("replica1", "primary"), TimeSpan.FromMilliseconds(200),
                TimeSpan.FromMilliseconds(20), LatencyDirection.Downstream, TimeSpan.FromSeconds(3)),
            new PartitionFault(TimeSpan.FromSeconds(5), new NodeTarget("replica2")),
            new PromoteAction(TimeSpan.FromSeconds(6), "replica1"),
            new HealAction(TimeSpan.FromSeconds(8)),
            new WaitConvergedAction(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(30)),
        }));
        Assert.That(scenario.Expect, Is.EqualTo(ScenarioExpectations.Default with
        {
            Durability = ExpectedVerdict.Invalid,
            SplitBrain = ExpectedVerdict.Any,
            LostWrites = LostWritesPolicy.Allowed,
        }));
    }

    [Test]
    public void Unnamed_checkers_default_to_valid_and_availability_to_any()
    {
        ScenarioParseResult result = ScenarioParser.Parse(ScenarioText.Build(), File);

        Assert.That(result.Scenario!.Expect, Is.EqualTo(ScenarioExpectations.Default));
        Assert.That(result.Scenario.Expect.For("availability"), Is.EqualTo(ExpectedVerdict.Any));
        Assert.That(result.Scenario.Expect.For("durability"), Is.EqualTo(ExpectedVerdict.Valid));
    }

    [Test]
    public void Allowing_lost_writes_makes_durability_any_unless_stated()
    {
        ScenarioParseResult result = ScenarioParser.Parse(ScenarioText.Build(extra: "expect:\n  lost-writes: allowed\n"), File);

        Assert.That(result.Scenario!.Expect.Durability, Is.EqualTo(ExpectedVerdict.Any));
    }

    [Test]
    public void An_rto_bound_is_read_as_under_a_duration_and_written_back_the_same_way()
    {
        ScenarioParseResult result = ScenarioParser.Parse(ScenarioText.Build(extra: "expect:\n  rto: under 30s\n"), File);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Scenario!.Expect.RtoBound, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(ScenarioWriter.Write(result.Scenario), Does.Contain("rto: under 30s"));
        Assert.That(ScenarioExpectations.Default.RtoBound, Is.Null, "a scenario without the key has no bound");
    }

    [TestCaseSource(typeof(BadScenarioCases), nameof(BadScenarioCases.All))]
    public void A_bad_file_is_rejected_with_one_error_on_the_marked_line(string yaml, string expectedMessage)
    {
        ScenarioParseResult result = ScenarioParser.Parse(yaml, File);

        Assert.That(result.Scenario, Is.Null);
        Assert.That(result.Errors, Has.Length.EqualTo(1), () => string.Join("\n", result.Errors));
        ScenarioError error = result.Errors[0];
        Assert.That(error.File, Is.EqualTo(File));
        Assert.That(error.Line, Is.EqualTo(ScenarioText.MarkedLine(yaml)), error.ToString);
        Assert.That(error.Message, Does.Contain(expectedMessage));
    }

    [Test]
    public void Every_error_is_reported_at_once_in_line_order()
    {
        string yaml = ScenarioText.Build(
            cluster: "  replicas: 9\n  replicaton: sync\n",
            duration: "20 seconds",
            schedule: "  - at: 1s\n    fault: partiton\n    target: replica1->primary\n");

        ScenarioParseResult result = ScenarioParser.Parse(yaml, File);

        Assert.That(result.Errors.Select(e => e.Line), Is.EqualTo(new[] { 4, 5, 9, 12 }));
        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("replicas 9 is out of range; expected 1 to 5"));
        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("unknown key 'replicaton' in cluster"));
        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("duration '20 seconds' is not a duration"));
        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("unknown fault 'partiton'"));
    }

    [Test]
    public void Errors_carry_the_column_of_the_offending_value()
    {
        string yaml = ScenarioText.Build(schedule: "  - at: 1s\n    fault: kill\n    target:   replica7\n");

        ScenarioError error = ScenarioParser.Parse(yaml, File).Errors.Single();

        Assert.That((error.Line, error.Column), Is.EqualTo((12, 15)));
        Assert.That(error.ToString(), Does.StartWith("bad.yaml:12:15: node replica7 does not exist"));
    }

    [Test]
    public async Task Loading_an_invalid_file_throws_with_every_error()
    {
        string path = Path.Combine(Path.GetTempPath(), $"chaospg-{Guid.NewGuid():N}.yaml");
        await System.IO.File.WriteAllTextAsync(path, ScenarioText.Build(cluster: "  replicas: 0\n", duration: "0s"));
        try
        {
            var exception = Assert.ThrowsAsync<ScenarioValidationException>(() => ScenarioParser.LoadAsync(path));

            Assert.That(exception!.Errors, Has.Length.EqualTo(2));
            Assert.That(exception.Errors.Select(e => e.File), Is.All.EqualTo(path));
            Assert.That(exception.Message, Does.Contain("2 errors"));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
