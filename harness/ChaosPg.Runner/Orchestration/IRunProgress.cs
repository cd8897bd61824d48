namespace ChaosPg.Runner.Orchestration;

/// <summary>Receives what a run does while it runs, for a live view or CI log lines. Called from several threads.</summary>
public interface IRunProgress
{
    /// <summary>The run entered a phase ("starting the cluster", "running the workload", "healing", ...).</summary>
    void OnPhase(string scenario, string phase);

    /// <summary>A fault or action began or ended, or convergence was reached: one line such as "applied partition replica1-&gt;primary".</summary>
    void OnEvent(string scenario, string text);

    /// <summary>A periodic (about once a second) view of the workload, the active faults and replication lag.</summary>
    void OnTick(RunTick tick);

    /// <summary>A run finished and its folder is complete.</summary>
    void OnRunCompleted(ScenarioRunResult result);
}
