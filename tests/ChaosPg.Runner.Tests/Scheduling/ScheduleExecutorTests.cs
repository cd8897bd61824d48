using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scheduling;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace ChaosPg.Runner.Tests.Scheduling;

public class ScheduleExecutorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public async Task Steps_run_at_their_offsets_and_for_ends_the_fault_on_time()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock);
        SchedulePlan plan = Plan(
            new PartitionFault(S(2), new LinkTarget(new Link("replica1", "primary")), S(3)),
            new PauseFault(S(4), "replica2"),
            new HealAction(S(7)));

        Task run = new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, _ => { });
        await AdvanceUntilAsync(clock, run, S(10));

        await run;
        Assert.That(injector.Calls, Is.EqualTo(new[]
        {
            ("apply", 0, Start + S(2)),
            ("apply", 1, Start + S(4)),
            ("remove", 0, Start + S(5)),
            ("remove", 1, Start + S(7)),
            ("run", 2, Start + S(7)),
        }));
    }

    [Test]
    public async Task Nothing_runs_before_its_time()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock);
        SchedulePlan plan = Plan(new KillFault(S(3), "replica1"));

        Task run = new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, _ => { });
        await AdvanceUntilAsync(clock, run, S(2.9));

        Assert.That(injector.Calls, Is.Empty);
        Assert.That(run.IsCompleted, Is.False);
        await AdvanceUntilAsync(clock, run, S(1));
        await run;
        Assert.That(injector.Calls, Is.EqualTo(new[] { ("apply", 0, Start + S(3)) }));
    }

    [Test]
    public async Task A_slow_action_delays_the_steps_after_it_and_the_events_say_when_they_really_ran()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock) { ActionDuration = S(2) };
        var events = new List<ScheduleEvent>();
        SchedulePlan plan = Plan(
            new PromoteAction(S(1), "replica1"),
            new PartitionFault(S(2), new LinkTarget(new Link("replica2", "replica1")), S(1)));

        Task run = new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, events.Add);
        await AdvanceUntilAsync(clock, run, S(10));

        await run;
        Assert.That(events.Select(e => (e.Operation, e.Step.Index, e.Began, e.Ended)), Is.EqualTo(new[]
        {
            (PlannedOperation.Run, 0, Start + S(1), Start + S(3)),
            (PlannedOperation.Apply, 1, Start + S(3), Start + S(3)),
            (PlannedOperation.Remove, 1, Start + S(3), Start + S(3)),
        }));
        Assert.That(events[0].Step.Links, Is.EqualTo(new[] { new Link("replica2", "replica1") }));
    }

    [Test]
    public async Task Faults_still_active_at_the_end_are_removed_but_a_killed_node_stays_down()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock);
        SchedulePlan plan = Plan(
            new LatencyFault(S(1), Link.ClientTo("primary"), TimeSpan.FromMilliseconds(100), TimeSpan.Zero, LatencyDirection.Both),
            new KillFault(S(2), "replica1"),
            new BlackholeFault(S(3), new NodeTarget("replica2")));

        Task run = new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, _ => { });
        await AdvanceUntilAsync(clock, run, S(10));

        await run;
        Assert.That(injector.Calls.Select(c => (c.Call, c.Index)), Is.EqualTo(new[]
        {
            ("apply", 0), ("apply", 1), ("apply", 2), ("remove", 2), ("remove", 0),
        }));
    }

    [Test]
    public async Task Cancelling_stops_the_schedule_and_removes_what_it_applied()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock);
        var events = new List<ScheduleEvent>();
        SchedulePlan plan = Plan(
            new PartitionFault(S(1), new NodeTarget("replica1"), S(8)),
            new KillFault(S(2), "replica2", S(5)),
            new PromoteAction(S(5), "replica1"));
        using var cancellation = new CancellationTokenSource();

        Task run = new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, events.Add, cancellation.Token);
        await AdvanceUntilAsync(clock, run, S(3));
        await cancellation.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(injector.Calls.Select(c => (c.Call, c.Index)), Is.EqualTo(new[]
        {
            ("apply", 0), ("apply", 1), ("remove", 1), ("remove", 0),
        }));
        Assert.That(events.Count(e => e.Operation == PlannedOperation.Remove), Is.EqualTo(2));
    }

    [Test]
    public async Task A_failing_step_stops_the_schedule_and_its_error_surfaces_after_cleanup_that_covers_it_too()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock) { FailingStep = 1 };
        SchedulePlan plan = Plan(
            new PauseFault(S(1), "replica1"),
            new PartitionFault(S(2), new LinkTarget(Link.ClientTo("primary"))),
            new HealAction(S(4)));

        Task run = new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, _ => { });
        await AdvanceUntilAsync(clock, run, S(10));

        Assert.That(async () => await run, Throws.InvalidOperationException.With.Message.EqualTo("step 1 failed"));
        Assert.That(injector.Calls.Select(c => (c.Call, c.Index)), Is.EqualTo(new[] { ("apply", 0), ("apply", 1), ("remove", 1), ("remove", 0) }));
    }

    [Test]
    public void An_invalid_plan_is_refused_before_anything_runs()
    {
        var clock = new FakeTimeProvider(Start);
        var injector = new RecordingFaultInjector(clock);
        SchedulePlan plan = Plan(new PromoteAction(S(1), "primary"));

        Assert.That(() => new ScheduleExecutor(injector, clock, S(10)).RunAsync(plan, Start, _ => { }), Throws.ArgumentException);
        Assert.That(injector.Calls, Is.Empty);
    }

    private static SchedulePlan Plan(params ScheduleStep[] steps) => ScheduleSimulator.Simulate(steps, replicas: 2, duration: S(20));

    // Moves the fake clock forward a tick at a time. It runs on a pool thread because continuations only run inline
    // (inside Advance, so each tick finishes the executor's work due by then) on a thread without a synchronization
    // context, and NUnit gives async tests one.
    private static Task AdvanceUntilAsync(FakeTimeProvider clock, Task run, TimeSpan span) =>
        Task.Run(() =>
        {
            for (TimeSpan moved = TimeSpan.Zero; moved < span && !run.IsCompleted; moved += Tick)
            {
                clock.Advance(Tick);
            }
        });
}
