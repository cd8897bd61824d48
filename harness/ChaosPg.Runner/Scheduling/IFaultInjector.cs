using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scheduling;

/// <summary>
/// Does to a real cluster what a schedule says (the nemesis). The executor calls it one step at a time, never
/// concurrently, and passes each step with the links the topology resolved for it (<see cref="PlannedStep.Links"/>).
/// </summary>
public interface IFaultInjector
{
    /// <summary>Applies a fault: toxics on the step's links, a signal to a node, a restart, terminate-backends.</summary>
    Task ApplyAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default);

    /// <summary>Removes a lasting fault applied earlier: removes its toxics, resumes a paused node, starts a killed one.</summary>
    Task RemoveAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs an action and returns when it has finished: promote (then repoint the other replicas at the step's
    /// links), rejoin, heal (the executor has already removed every fault it applied; sweep anything left, idempotently),
    /// wait-converged (bounded by its deadline; not converging is an outcome to record, not an exception).
    /// </summary>
    Task RunActionAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default);
}
