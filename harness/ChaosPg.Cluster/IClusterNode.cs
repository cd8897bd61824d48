namespace ChaosPg.Cluster;

/// <summary>
/// One node of a replicated cluster, whatever runs it (local processes or containers): its faults (kill, pause,
/// stop), its actions (promote, rejoin) and its status. Names never change; roles do.
/// </summary>
public interface IClusterNode
{
    /// <summary>The node's name (primary, replica1, ...), also its application_name and its replication slot.</summary>
    string Name { get; }

    /// <summary>Where the harness's own connections go: straight to the server, never through a link.</summary>
    LinkEndpoint Endpoint { get; }

    /// <summary>Where workload clients connect: the routed <c>client-&gt;node</c> link.</summary>
    LinkEndpoint ClientEndpoint { get; }

    /// <summary>The node this one streams WAL from; null for a primary or a deposed primary not yet rejoined.</summary>
    IClusterNode? Upstream { get; }

    /// <summary>Whether the server runs (a paused server runs), as the harness last saw it.</summary>
    bool IsRunning { get; }

    /// <summary>Connection string straight to the node (harness use).</summary>
    string GetConnectionString(DatabaseRole role);

    /// <summary>Connection string through the node's client link (workload use).</summary>
    string GetClientConnectionString(DatabaseRole role);

    /// <summary>Starts the node's server; it must be down.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Fast shutdown; does nothing when the node is down.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Fast shutdown, then start.</summary>
    Task RestartAsync(CancellationToken cancellationToken = default);

    /// <summary>SIGKILL of the server: a crash, with no shutdown checkpoint; returns once every process is gone.</summary>
    Task KillAsync(CancellationToken cancellationToken = default);

    /// <summary>Freezes the server without closing a connection.</summary>
    Task PauseAsync(CancellationToken cancellationToken = default);

    /// <summary>Thaws a paused server; does nothing to one that is not paused.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the node has a network of its own that <see cref="IsolateAsync"/> can cut (a container's). Local
    /// processes share the host's loopback: isolating one means blackholing every link to or from it.
    /// </summary>
    bool CanIsolate { get; }

    /// <summary>
    /// Cuts the node off the cluster's network: its links go silent (open connections hang, its name stops resolving),
    /// while the harness's own connections to it stay. Only where <see cref="CanIsolate"/>.
    /// </summary>
    Task IsolateAsync(CancellationToken cancellationToken = default);

    /// <summary>Puts an isolated node back on the cluster's network; does nothing to one that is not isolated.</summary>
    Task ReconnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Promotes this replica and makes the other replicas of the old primary stream from it on the new timeline.</summary>
    Task PromoteAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes this former primary a replica of the current primary (pg_rewind, standby settings, start, streaming).</summary>
    Task RejoinAsync(CancellationToken cancellationToken = default);

    /// <summary>A snapshot of role, timeline, LSNs, the standbys streaming from this node and its WAL receiver.</summary>
    Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
