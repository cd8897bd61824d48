using System.Collections.Immutable;

namespace ChaosPg.Cluster;

/// <summary>
/// How a wait for convergence ended: whether every running replica streamed from the primary and replayed its WAL up
/// to <see cref="TargetLsn"/> within the deadline, how long it took, and each replica's last observed state.
/// </summary>
/// <param name="Converged">True when every running replica caught up before the deadline.</param>
/// <param name="Elapsed">Time from the start of the wait to convergence, or to the deadline.</param>
/// <param name="Primary">The primary whose WAL the replicas had to replay.</param>
/// <param name="TargetLsn">The primary's WAL position read at the start (null if it could not be read).</param>
/// <param name="Replicas">Each running replica at the last poll.</param>
/// <param name="Problem">Why the target could not be read (the primary is down...), else null.</param>
public sealed record ConvergenceResult(
    bool Converged,
    TimeSpan Elapsed,
    string Primary,
    ulong? TargetLsn,
    ImmutableArray<ReplicaConvergence> Replicas,
    string? Problem);
