namespace ChaosPg.Cluster;

/// <summary>One replica during a wait for convergence, as last observed.</summary>
/// <param name="Node">Replica name.</param>
/// <param name="Upstream">The node the cluster configured it to stream from.</param>
/// <param name="Streaming">Its WAL receiver streams, on the primary's timeline, from the current primary.</param>
/// <param name="ReplayLsn">pg_last_wal_replay_lsn(), null when it could not be read.</param>
/// <param name="LagBytes">How far its replay is behind the target; null when unknown.</param>
/// <param name="Converged">Streaming and replayed up to the target.</param>
/// <param name="Problem">Why it could not be queried (paused, down...), else null.</param>
public sealed record ReplicaConvergence(
    string Node,
    string? Upstream,
    bool Streaming,
    ulong? ReplayLsn,
    ulong? LagBytes,
    bool Converged,
    string? Problem);
