namespace ChaosPg.Cluster.Managers.Common;

/// <summary>What changed between two observations of a managed cluster.</summary>
public enum RoleChangeKind
{
    /// <summary>Someone took the leader key when no one held it.</summary>
    LeaderElected,

    /// <summary>The leader key went from one member to another between two polls.</summary>
    LeaderChanged,

    /// <summary>The leader key expired or was released and no one holds it.</summary>
    LockLost,

    /// <summary>A server left recovery (pg_is_in_recovery() went false): it now accepts writes.</summary>
    Promoted,

    /// <summary>A server that accepted writes is in recovery again (a demotion or a rejoin).</summary>
    Demoted,

    /// <summary>A server reports a new timeline.</summary>
    TimelineChanged,

    /// <summary>The manager's maintenance mode was switched on or off (Patroni pause, repmgr service pause, pg_auto_failover maintenance).</summary>
    MaintenanceChanged,
}
