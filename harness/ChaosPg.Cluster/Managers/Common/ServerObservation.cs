namespace ChaosPg.Cluster.Managers.Common;

/// <summary>What a node's PostgreSQL itself said when polled: whether it is in recovery and its timeline.</summary>
public sealed record ServerObservation(bool InRecovery, int Timeline);
