using System.Runtime.ExceptionServices;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scheduling;

/// <summary>
/// Plays a <see cref="SchedulePlan"/> on time against an <see cref="IFaultInjector"/>, one entry after another: an
/// entry starts at its due time or when the previous one finishes, whichever is later. However the run ends (done,
/// cancelled, failed) it removes every fault it applied (or began to apply) and has not removed, except kills without
/// a <c>for</c> (a killed node stays down, as after a heal); so <see cref="IFaultInjector.RemoveAsync"/> must accept
/// a fault that is only partly in place.
/// </summary>
public sealed class ScheduleExecutor
{
    private readonly IFaultInjector injector;
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan cleanupTimeout;

    /// <summary>Creates an executor; <paramref name="cleanupTimeout"/> bounds the removals on the way out, which never use the run's token.</summary>
    public ScheduleExecutor(IFaultInjector injector, TimeProvider timeProvider, TimeSpan cleanupTimeout)
    {
        ArgumentNullException.ThrowIfNull(injector);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cleanupTimeout, TimeSpan.Zero);
        this.injector = injector;
        this.timeProvider = timeProvider;
        this.cleanupTimeout = cleanupTimeout;
    }

    /// <summary>
    /// Runs <paramref name="plan"/> with its offsets counted from <paramref name="workloadStart"/>, reporting every
    /// call to the injector to <paramref name="onEvent"/> as it completes.
    /// </summary>
    public async Task RunAsync(
        SchedulePlan plan,
        DateTimeOffset workloadStart,
        Action<ScheduleEvent> onEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(onEvent);
        if (!plan.IsValid)
        {
            throw new ArgumentException($"The plan has {plan.Issues.Length} issue(s); validate the scenario first.", nameof(plan));
        }

        var outstanding = new List<PlannedStep>();
        ExceptionDispatchInfo? failure = null;
        try
        {
            foreach (PlannedEntry entry in plan.Entries)
            {
                TimeSpan wait = workloadStart + entry.Due - timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();

                // Counted as applied before the call: an apply that fails or is cancelled half-way may have left part
                // of the fault in place, so the way out removes it too.
                if (entry.Operation == PlannedOperation.Apply && NeedsRemoval(entry.Step))
                {
                    outstanding.Add(entry.Step);
                }

                await PerformAsync(entry.Operation, entry.Step, onEvent, cancellationToken).ConfigureAwait(false);
                if (entry.Operation == PlannedOperation.Remove)
                {
                    outstanding.Remove(entry.Step);
                }
            }
        }
#pragma warning disable CA1031 // Any failure, cancellation included, must still be followed by the cleanup below.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }

        List<Exception> cleanupFailures = await RemoveOutstandingAsync(outstanding, onEvent).ConfigureAwait(false);
        if (failure is not null && cleanupFailures.Count == 0)
        {
            failure.Throw();
        }

        if (failure is not null || cleanupFailures.Count > 0)
        {
            IEnumerable<Exception> all = failure is null ? cleanupFailures : [failure.SourceException, .. cleanupFailures];
            throw new AggregateException("The schedule failed, and removing the faults it had applied failed too.", all);
        }
    }

    // A kill without for is meant to leave the node down; everything else lasting is undone on the way out.
    private static bool NeedsRemoval(PlannedStep step) =>
        step.Step is FaultStep { IsLasting: true } fault && (fault.IsHealable || fault.For is not null);

    private async Task<List<Exception>> RemoveOutstandingAsync(List<PlannedStep> outstanding, Action<ScheduleEvent> onEvent)
    {
        var failures = new List<Exception>();
        if (outstanding.Count == 0)
        {
            return failures;
        }

        using var cleanup = new CancellationTokenSource(cleanupTimeout, timeProvider);
        for (int i = outstanding.Count - 1; i >= 0; i--)
        {
            try
            {
                await PerformAsync(PlannedOperation.Remove, outstanding[i], onEvent, cleanup.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One removal failing must not keep the others from being tried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add(e);
            }
        }

        return failures;
    }

    private async Task PerformAsync(
        PlannedOperation operation,
        PlannedStep step,
        Action<ScheduleEvent> onEvent,
        CancellationToken cancellationToken)
    {
        DateTimeOffset began = timeProvider.GetUtcNow();
        Task call = operation switch
        {
            PlannedOperation.Apply => injector.ApplyAsync(step, cancellationToken),
            PlannedOperation.Remove => injector.RemoveAsync(step, cancellationToken),
            _ => injector.RunActionAsync(step, cancellationToken),
        };
        await call.ConfigureAwait(false);
        onEvent(new ScheduleEvent(operation, step, began, timeProvider.GetUtcNow()));
    }
}
