using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Exploration;

/// <summary>Runs one candidate scenario and judges the explored property: on a real cluster, or a simulation in tests.</summary>
public interface IScheduleTrial
{
    /// <summary>Runs <paramref name="scenario"/> with <paramref name="seed"/>; never throws for a run that fails or errs.</summary>
    Task<TrialResult> RunAsync(Scenario scenario, long seed, CancellationToken cancellationToken = default);
}
