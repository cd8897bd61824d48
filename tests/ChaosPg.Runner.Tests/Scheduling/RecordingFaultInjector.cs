using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scheduling;

namespace ChaosPg.Runner.Tests.Scheduling;

/// <summary>
/// Test double for a cluster's nemesis: records each call with the fake clock's time instead of touching a cluster.
/// Actions can be made to take time on the fake clock, and one step can be made to fail.
/// </summary>
internal sealed class RecordingFaultInjector(TimeProvider clock) : IFaultInjector
{
    private readonly List<(string Call, int Index, DateTimeOffset At)> calls = [];

    public IReadOnlyList<(string Call, int Index, DateTimeOffset At)> Calls
    {
        get
        {
            lock (calls)
            {
                return [.. calls];
            }
        }
    }

    /// <summary>How long each action takes on the fake clock.</summary>
    public TimeSpan ActionDuration { get; init; }

    /// <summary>The index of a step whose apply throws.</summary>
    public int? FailingStep { get; init; }

    public Task ApplyAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        Record("apply", plannedStep);
        return plannedStep.Index == FailingStep
            ? Task.FromException(new InvalidOperationException($"step {plannedStep.Index} failed"))
            : Task.CompletedTask;
    }

    public Task RemoveAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        Record("remove", plannedStep);
        return Task.CompletedTask;
    }

    public async Task RunActionAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        Record("run", plannedStep);
        if (ActionDuration > TimeSpan.Zero)
        {
            // Resuming inside the fake clock's Advance keeps the clock's ticks and the executor in lockstep.
            await Task.Delay(ActionDuration, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Record(string call, PlannedStep step)
    {
        lock (calls)
        {
            calls.Add((call, step.Index, clock.GetUtcNow()));
        }
    }
}
