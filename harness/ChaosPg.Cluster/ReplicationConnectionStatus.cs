namespace ChaosPg.Cluster;

/// <summary>One pg_stat_replication row: a standby streaming from this node. LSNs as 64-bit positions.</summary>
public sealed record ReplicationConnectionStatus(
    string ApplicationName,
    string State,
    string SyncState,
    ulong? SentLsn,
    ulong? WriteLsn,
    ulong? FlushLsn,
    ulong? ReplayLsn,
    TimeSpan? WriteLag,
    TimeSpan? FlushLag,
    TimeSpan? ReplayLag);
