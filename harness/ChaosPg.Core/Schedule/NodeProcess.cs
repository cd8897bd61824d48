namespace ChaosPg.Core.Schedule;

/// <summary>What a kill or pause of a managed node hits: its PostgreSQL server, the manager's agent beside it, or both.</summary>
public enum NodeProcess
{
    /// <summary>The PostgreSQL server alone (the default); under a manager, the manager restarts a killed server.</summary>
    Server,

    /// <summary>The node's agent alone (Patroni, repmgrd, pg_autoctl): the server runs on.</summary>
    Manager,

    /// <summary>The agent and the server: the whole node.</summary>
    All,
}
