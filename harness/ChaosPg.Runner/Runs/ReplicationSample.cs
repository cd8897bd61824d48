namespace ChaosPg.Runner.Runs;

/// <summary>
/// One replica's replication state as the primary saw it at one instant: a line of <c>replication.jsonl</c>.
/// </summary>
/// <param name="AtMicros">When the sample was taken, on the history's clock (microseconds since run start).</param>
/// <param name="Node">The replica ("replica1", ...).</param>
/// <param name="Role">The node's role at that instant ("replica", "primary", "down").</param>
/// <param name="ReplayLagBytes">pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) on the primary, when connected.</param>
/// <param name="ReplayLagMs">replay_lag of pg_stat_replication on the primary in milliseconds, when reported.</param>
/// <param name="State">pg_stat_replication.state ("streaming", "catchup"...), or "disconnected" when the primary lists no walsender for it.</param>
public sealed record ReplicationSample(
    long AtMicros,
    string Node,
    string Role,
    long? ReplayLagBytes,
    double? ReplayLagMs,
    string State)
{
    /// <summary>The samples' file name inside a run folder.</summary>
    public const string FileName = "replication.jsonl";
}
