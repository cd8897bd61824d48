using System.Collections.Immutable;

namespace ChaosPg.Runner.Orchestration;

/// <summary>A moment of a running scenario, for progress displays.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Elapsed">Time since the workload started.</param>
/// <param name="Duration">The scenario's duration.</param>
/// <param name="Ok">Operations completed ok so far.</param>
/// <param name="Failed">Operations that certainly did not happen.</param>
/// <param name="Indeterminate">Operations whose outcome is unknown.</param>
/// <param name="OperationsPerSecond">Completions per second since the previous tick.</param>
/// <param name="ActiveFaults">Faults in place now, e.g. "partition replica1-&gt;primary".</param>
/// <param name="MaxReplayLagBytes">The largest replay lag the last replication sample saw, when one was seen.</param>
public sealed record RunTick(
    string Scenario,
    TimeSpan Elapsed,
    TimeSpan Duration,
    long Ok,
    long Failed,
    long Indeterminate,
    double OperationsPerSecond,
    ImmutableArray<string> ActiveFaults,
    long? MaxReplayLagBytes);
