namespace ChaosPg.Cluster.Providers;

/// <summary>
/// A node of a managed cluster: its PostgreSQL (the <see cref="IClusterNode"/> members act on the server alone) and
/// the manager's agent beside it (Patroni, repmgrd, pg_autoctl's keeper), which these members act on.
/// </summary>
public interface IManagedNode : IClusterNode
{
    /// <summary>True while the node's agent runs.</summary>
    bool ManagerIsRunning { get; }

    /// <summary>SIGKILL of the agent alone: the server runs on (and, as leader, may go on accepting writes).</summary>
    Task KillManagerAsync(CancellationToken cancellationToken = default);

    /// <summary>SIGSTOP of the agent alone.</summary>
    Task PauseManagerAsync(CancellationToken cancellationToken = default);

    /// <summary>SIGCONT of the agent; nothing when it is not paused.</summary>
    Task ResumeManagerAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts the agent again after a kill (it then takes the server over as the manager does); nothing when it runs.</summary>
    Task StartManagerAsync(CancellationToken cancellationToken = default);

    /// <summary>SIGKILL of the agent and then the server: the whole node is gone, nothing restarts it.</summary>
    Task KillAllAsync(CancellationToken cancellationToken = default);

    /// <summary>SIGSTOP of the agent and the server with its children: the whole node hangs.</summary>
    Task PauseAllAsync(CancellationToken cancellationToken = default);

    /// <summary>SIGCONT of the server and then the agent.</summary>
    Task ResumeAllAsync(CancellationToken cancellationToken = default);
}
