namespace ChaosPg.Core.Histories;

/// <summary>What a read saw on its node: the highest write sequence number visible, and the node's replay LSN.</summary>
/// <param name="MaxSeq">max(seq) of the rows visible to the read; null when the table was empty.</param>
/// <param name="RowCount">count(*) of visible rows, when the workload reads it.</param>
/// <param name="ReplayLsn">pg_last_wal_replay_lsn() on a replica (or the current LSN on a primary), when known.</param>
public sealed record ReadResult(long? MaxSeq, long? RowCount = null, Lsn? ReplayLsn = null);
