using System.Collections.Immutable;

namespace ChaosPg.Cluster;

/// <summary>A snapshot of one node's replication state.</summary>
/// <param name="Node">Node name.</param>
/// <param name="Role">Primary or replica (in recovery).</param>
/// <param name="Timeline">Current timeline: of the WAL being written (primary) or received/replayed (replica).</param>
/// <param name="CurrentWalLsn">pg_current_wal_lsn() on a primary.</param>
/// <param name="ReceiveLsn">pg_last_wal_receive_lsn() on a replica.</param>
/// <param name="ReplayLsn">pg_last_wal_replay_lsn() on a replica.</param>
/// <param name="Replication">pg_stat_replication rows: standbys streaming from this node.</param>
/// <param name="WalReceiver">pg_stat_wal_receiver row on a replica, null when none is running.</param>
public sealed record NodeStatus(
    string Node,
    NodeRole Role,
    int Timeline,
    ulong? CurrentWalLsn,
    ulong? ReceiveLsn,
    ulong? ReplayLsn,
    ImmutableArray<ReplicationConnectionStatus> Replication,
    WalReceiverStatus? WalReceiver);
