using ChaosPg.Core.Schedule;
using NUnit.Framework;

namespace ChaosPg.Core.Tests.Schedule;

public class ScheduleSimulatorTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static SchedulePlan Simulate(int replicas, params ScheduleStep[] steps) => ScheduleSimulator.Simulate(steps, replicas, Duration);

    [Test]
    public void Promote_repoints_the_other_replicas_and_rejoin_streams_the_old_primary_from_the_new_one()
    {
        SchedulePlan plan = Simulate(
            3,
            new KillFault(S(1), "primary"),
            new PromoteAction(S(2), "replica2"),
            new RejoinAction(S(3), "primary"),
            new PartitionFault(S(4), new LinkTarget(new Link("primary", "replica2")), S(1)));

        Assert.That(plan.Issues, Is.Empty);
        Assert.That(plan.Entries[1].Step.Links, Is.EqualTo(new[] { new Link("replica1", "replica2"), new Link("replica3", "replica2") }));
        Assert.That(plan.Entries[2].Step.Links, Is.EqualTo(new[] { new Link("primary", "replica2") }));
    }

    [Test]
    public void Under_a_manager_its_links_exist_throughout_and_the_harnesss_own_WAL_links_do_not()
    {
        // repmgr with a witness, as RepmgrManager.Topology gives it.
        var topology = new ManagedTopology("repmgr", ["witness"], ["peers->{node}", "{node}->witness"]);

        SchedulePlan plan = ScheduleSimulator.Simulate(
            [
                new PartitionFault(S(1), new LinkTarget(new Link("peers", "primary"))),
                new BlackholeFault(S(3), new NodeTarget("replica1")),
                new PartitionFault(S(5), new LinkTarget(new Link("replica1", "primary")), S(1)),
            ],
            1,
            Duration,
            topology);

        Assert.That(plan.Entries[0].Step.Links, Is.EqualTo(new[] { new Link("peers", "primary") }));
        Assert.That(plan.Entries[1].Step.Links, Is.EquivalentTo(new[] { Link.ClientTo("replica1"), new Link("peers", "replica1"), new Link("replica1", "witness") }));
        Assert.That(plan.Issues.Select(i => i.Message), Has.One.StartsWith("link replica1->primary is not a link of a repmgr cluster; expected one of: client->primary, peers->primary, primary->witness, client->replica1, peers->replica1, replica1->witness"));
    }

    [Test]
    public void A_node_target_resolves_to_every_link_of_the_node_at_that_time()
    {
        SchedulePlan plan = Simulate(
            2,
            new PartitionFault(S(1), new NodeTarget("primary"), S(1)),
            new PromoteAction(S(3), "replica1"),
            new BlackholeFault(S(4), new NodeTarget("replica1"), S(1)));

        Assert.That(plan.Issues, Is.Empty);
        Assert.That(plan.Entries[0].Step.Links, Is.EquivalentTo(new[]
        {
            Link.ClientTo("primary"), new Link("replica1", "primary"), new Link("replica2", "primary"),
        }));
        Assert.That(plan.Entries.Last().Step.Links, Is.EquivalentTo(new[] { Link.ClientTo("replica1"), new Link("replica2", "replica1") }));
    }

    [Test]
    public void An_isolation_covers_every_link_of_the_node_and_heal_lifts_it()
    {
        SchedulePlan plan = Simulate(
            2,
            new IsolateFault(S(1), "primary"),
            new LatencyFault(S(2), new Link("replica1", "primary"), TimeSpan.FromMilliseconds(50), TimeSpan.Zero, LatencyDirection.Both, S(1)),
            new HealAction(S(4)));

        Assert.That(plan.Issues, Is.Empty, "latency on a silent link does not contradict it");
        Assert.That(plan.Entries[0].Step.Links, Is.EquivalentTo(new[]
        {
            Link.ClientTo("primary"), new Link("replica1", "primary"), new Link("replica2", "primary"),
        }));
        Assert.That(plan.Entries.Where(e => e.Operation == PlannedOperation.Remove).Select(e => (e.Due, e.Step.Step.Keyword)), Is.EqualTo(new[]
        {
            (S(3), "latency"), (S(4), "isolate"),
        }));
        Assert.That(FaultStep.Contradict("isolate", "blackhole") && FaultStep.Contradict("partition", "isolate"), Is.True);
        Assert.That(FaultStep.Contradict("isolate", "latency"), Is.False);
    }

    [Test]
    public void Timed_ends_come_before_a_step_at_the_same_time_and_heal_removes_what_is_left_before_it_runs()
    {
        SchedulePlan plan = Simulate(
            2,
            new PartitionFault(S(1), new LinkTarget(new Link("replica1", "primary")), S(2)),
            new PartitionFault(S(3), new LinkTarget(new Link("replica1", "primary"))),
            new PauseFault(S(4), "replica2"),
            new KillFault(S(5), "replica1"),
            new HealAction(S(6)));

        Assert.That(plan.Issues, Is.Empty);
        Assert.That(plan.Entries.Select(e => (e.Due, e.Operation, e.Step.Index)), Is.EqualTo(new[]
        {
            (S(1), PlannedOperation.Apply, 0),
            (S(3), PlannedOperation.Remove, 0),
            (S(3), PlannedOperation.Apply, 1),
            (S(4), PlannedOperation.Apply, 2),
            (S(5), PlannedOperation.Apply, 3),
            (S(6), PlannedOperation.Remove, 2),
            (S(6), PlannedOperation.Remove, 1),
            (S(6), PlannedOperation.Run, 4),
        }));
    }

    [Test]
    public void A_timed_kill_brings_the_node_back_so_it_can_be_killed_again()
    {
        SchedulePlan plan = Simulate(1, new KillFault(S(1), "replica1", S(2)), new KillFault(S(3), "replica1"));

        Assert.That(plan.Issues, Is.Empty);
        Assert.That(plan.Entries.Select(e => e.Operation), Is.EqualTo(new[] { PlannedOperation.Apply, PlannedOperation.Remove, PlannedOperation.Apply }));
    }

    [Test]
    public void Restart_brings_back_a_node_killed_without_for()
    {
        SchedulePlan plan = Simulate(
            1,
            new KillFault(S(1), "replica1"),
            new RestartFault(S(2), "replica1"),
            new PromoteAction(S(3), "replica1"));

        Assert.That(plan.Issues, Is.Empty);
    }

    [Test]
    public void Heal_does_not_start_a_killed_node()
    {
        SchedulePlan plan = Simulate(1, new KillFault(S(1), "replica1"), new HealAction(S(2)), new PromoteAction(S(3), "replica1"));

        Assert.That(plan.Issues, Has.Exactly(1).Matches<ScheduleIssue>(i => i.StepIndex == 2 && i.Field == "target"));
    }

    [Test]
    public void Issues_name_the_step_and_field_and_every_one_is_reported()
    {
        SchedulePlan plan = Simulate(
            1,
            new PromoteAction(S(2), "replica9"),
            new HealAction(S(1)),
            new PartitionFault(S(40), new NodeTarget("primary")));

        Assert.That(plan.Issues.Select(i => (i.StepIndex, i.Field)), Is.EqualTo(new[] { (0, "target"), (1, "at"), (2, "at") }));
        Assert.That(plan.IsValid, Is.False);
    }

    [Test]
    public void Faults_of_different_kinds_may_overlap_on_a_link()
    {
        var link = new Link("replica1", "primary");
        SchedulePlan plan = Simulate(
            1,
            new LatencyFault(S(1), link, TimeSpan.FromMilliseconds(100), TimeSpan.Zero, LatencyDirection.Both),
            new BandwidthFault(S(2), link, 64),
            new PartitionFault(S(3), new LinkTarget(link), S(1)));

        Assert.That(plan.Issues, Is.Empty);
    }
}
