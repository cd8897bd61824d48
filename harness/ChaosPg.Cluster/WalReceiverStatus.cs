namespace ChaosPg.Cluster;

/// <summary>The pg_stat_wal_receiver row of a standby.</summary>
public sealed record WalReceiverStatus(string Status, int ReceivedTimeline, ulong? FlushedLsn, string? SenderHost, int? SenderPort, string? SlotName);
