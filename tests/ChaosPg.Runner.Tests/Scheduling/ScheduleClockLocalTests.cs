using ChaosPg.Core.Histories;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Scheduling;

/// <summary>The schedule's offsets count from when the workload really runs, not from when it was asked to start.</summary>
[Category("Local")]
[NonParallelizable]
public class ScheduleClockLocalTests
{
    private const string Scenario = """
        name: clock-start
        description: A WAL-link partition 2 s into the workload, to see where the schedule's clock starts.
        cluster:
          replicas: 1
        workload:
          kind: bank
          writers: 2
          readers: 1
          rate: 100
        duration: 4s
        schedule:
          - at: 2s
            fault: partition
            target: replica1->primary
            for: 1s
        """;

    [Test]
    public async Task The_first_fault_comes_its_offset_after_the_first_acknowledged_write_and_the_run_has_enough_work_to_judge()
    {
        var reports = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports-clock");
        var scenario = ScenarioParser.Parse(Scenario, "clock.yaml").GetScenarioOrThrow();

        var result = await new ScenarioRunner(new ScenarioRunOptions { ReportsRoot = reports }).RunAsync(scenario, "clock.yaml");

        Assert.That(result.Results.Outcome, Is.EqualTo(RunOutcome.Passed), () => result.Results.Reason());
        var history = await HistoryReader.ReadAsync(result.Folder.HistoryPath);
        var firstAck = history.Writes.Where(w => w.Outcome == OperationOutcome.Ok).Min(w => w.EndMicros);
        var partition = history.Events.First(e => e.Kind == EventKind.Partition).StartMicros;
        // The runner reads the wall clock, the history a monotonic one: a few milliseconds of slack between them.
        Assert.That(partition - firstAck, Is.GreaterThanOrEqualTo(2_000_000 - 5_000), "the 2 s offset counts from the first acknowledged write");
        var durability = result.Results.Suite!.Find("durability")!;
        Assert.That(durability.Counts["acknowledgedBeforeFirstFault"], Is.GreaterThanOrEqualTo(durability.Counts["requiredAcknowledgedBeforeFirstFault"]));
    }
}
