using System.Collections.Immutable;
using ChaosPg.Cluster.Managers.Common;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// A cluster whose promotions are an HA manager's, not the harness's (Patroni, repmgr, pg_auto_failover). The runner
/// drives it only through this interface, never by its type: it records the role changes the manager's observer
/// sees, applies the manager faults of a schedule (to a node's agent through <see cref="IManagedNode"/>, to the
/// manager's other processes by name) and the manager actions (switchover, failover, maintenance).
/// </summary>
public interface IManagedCluster : IRoleChangingCluster
{
    /// <summary>The latest view the manager gave (members, leader, lag, maintenance); null before its first answer.</summary>
    ManagerView? LatestView { get; }

    /// <summary>What run.json records of the manager: the versions of its programs and the settings it runs with.</summary>
    ManagerFacts Facts { get; }

    /// <summary>
    /// The manager's processes that are not a node's agent, by the names schedules use: <c>dcs1</c>..<c>dcs3</c>
    /// (Patroni's etcd members), <c>monitor</c> (pg_auto_failover), <c>witness</c> (repmgr). Empty when there are none.
    /// </summary>
    ImmutableArray<string> Auxiliaries { get; }

    /// <summary>The log files of the manager's processes (agents and auxiliaries), kept in the run folder.</summary>
    IEnumerable<string> ManagerLogFiles { get; }

    /// <summary>SIGKILL of the auxiliary <paramref name="name"/>; it stays down until <see cref="StartAuxiliaryAsync"/>.</summary>
    Task KillAuxiliaryAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>SIGSTOP of the auxiliary <paramref name="name"/> (and what it runs).</summary>
    Task PauseAuxiliaryAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>SIGCONT of the auxiliary <paramref name="name"/>; nothing when it is not paused.</summary>
    Task ResumeAuxiliaryAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Starts the auxiliary <paramref name="name"/> again after a kill; nothing when it runs.</summary>
    Task StartAuxiliaryAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// A planned switchover through the manager, from the current leader to <paramref name="candidate"/> (null: the
    /// manager's choice); returns once the manager names the new leader and its server accepts writes.
    /// </summary>
    Task SwitchoverAsync(string? candidate, CancellationToken cancellationToken = default);

    /// <summary>A manual failover to <paramref name="candidate"/> through the manager (with or without a leader); returns once it leads.</summary>
    Task FailoverAsync(string candidate, CancellationToken cancellationToken = default);

    /// <summary>The manager's maintenance mode: while on, it neither fails over nor restarts anything.</summary>
    Task SetMaintenanceAsync(bool paused, CancellationToken cancellationToken = default);
}
