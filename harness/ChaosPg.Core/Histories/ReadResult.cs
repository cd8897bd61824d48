namespace ChaosPg.Core.Histories;

/// <summary>What a read saw on its node: the highest write sequence number visible, and the node's replay LSN.</summary>
/// <param name="MaxSeq">max(seq) of the rows visible to the read; null when the table was empty.</param>
/// <param name="RowCount">count(*) of visible rows, when the workload reads it.</param>
/// <param name="ReplayLsn">pg_last_wal_replay_lsn() on a replica (or the current LSN on a primary), when known.</param>
/// <remarks>Stored without nullable padding (48 bytes instead of 64): a history holds one per ok read.</remarks>
public sealed record ReadResult(long? MaxSeq, long? RowCount = null, Lsn? ReplayLsn = null)
{
    private readonly long maxSeq = MaxSeq.GetValueOrDefault();
    private readonly long rowCount = RowCount.GetValueOrDefault();
    private readonly ulong replayLsn = ReplayLsn.GetValueOrDefault().Value;
    private readonly bool hasMaxSeq = MaxSeq.HasValue;
    private readonly bool hasRowCount = RowCount.HasValue;
    private readonly bool hasReplayLsn = ReplayLsn.HasValue;

    public long? MaxSeq
    {
        get => hasMaxSeq ? maxSeq : null;
        init => (maxSeq, hasMaxSeq) = (value.GetValueOrDefault(), value.HasValue);
    }

    public long? RowCount
    {
        get => hasRowCount ? rowCount : null;
        init => (rowCount, hasRowCount) = (value.GetValueOrDefault(), value.HasValue);
    }

    public Lsn? ReplayLsn
    {
        get => hasReplayLsn ? new Lsn(replayLsn) : null;
        init => (replayLsn, hasReplayLsn) = (value.GetValueOrDefault().Value, value.HasValue);
    }
}
