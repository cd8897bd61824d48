using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// One node of a <see cref="RepmgrCluster"/>: its PostgreSQL and the repmgrd beside it. repmgrd watches but never
/// restarts a server: a killed one stays down until <see cref="RejoinAsync"/> (or <see cref="StartAsync"/>).
/// </summary>
public sealed class RepmgrNode : IManagedNode
{
    private readonly RepmgrCluster cluster;

    internal RepmgrNode(RepmgrCluster cluster, RepmgrServer server)
    {
        this.cluster = cluster;
        Server = server;
        ClientEndpoint = Endpoint;
    }

    public string Name => Server.Member.Name;

    /// <summary>repmgr's node_id of this node.</summary>
    public int Id => Server.Member.Id;

    public string DataDirectory => Server.Member.DataDirectory;

    public int Port => Server.Member.Port;

    public LinkEndpoint Endpoint => Server.Member.Endpoint;

    public LinkEndpoint ClientEndpoint { get; internal set; }

    /// <summary>The leader, while repmgr lists this node as an active standby; null otherwise.</summary>
    public IClusterNode? Upstream => cluster.UpstreamOf(this);

    /// <summary>Whether this node's PostgreSQL runs (a paused one runs).</summary>
    public bool IsRunning => PostmasterPid is not null;

    /// <summary>Whether this node's repmgrd runs (a paused one runs).</summary>
    public bool ManagerIsRunning => Server.Repmgrd.IsRunning;

    public int? PostmasterPid => Server.PostmasterPid;

    /// <summary>repmgrd's pid; null when it is down.</summary>
    public int? ManagerPid => Server.Repmgrd.Pid;

    /// <summary>The server's log.</summary>
    public string LogFile => Server.Member.ServerLog;

    public bool CanIsolate => false;

    internal RepmgrServer Server { get; }

    public string GetConnectionString(DatabaseRole role) => cluster.ConnectionString(Endpoint, role);

    public string GetClientConnectionString(DatabaseRole role) => cluster.ConnectionString(ClientEndpoint, role);

    /// <summary>Starts the server as it was left (a crashed primary comes back a primary: repmgr fences nothing) and repmgrd if it is down.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Server.StartAsync(cancellationToken).ConfigureAwait(false);
        await StartManagerAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fast shutdown of the server; repmgrd stays and notices.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Server.StopAsync(cancellationToken);

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await Server.StopAsync(cancellationToken).ConfigureAwait(false);
        await Server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILL of the server alone. repmgrd does not restart it: on the primary, the standbys' repmgrds fail over.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) =>
        PostmasterSignals.KillAsync(PostmasterPid ?? throw new InvalidOperationException($"{Name}'s server is not running"), cancellationToken);

    /// <summary>SIGSTOP of the server and its children alone.</summary>
    public Task PauseAsync(CancellationToken cancellationToken = default)
    {
        PostmasterSignals.SignalAll(PostmasterPid ?? throw new InvalidOperationException($"{Name}'s server is not running"), NativeMethods.SigStop);
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (PostmasterPid is { } pid)
        {
            PostmasterSignals.SignalAll(pid, NativeMethods.SigCont);
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts repmgrd again; nothing when it runs.</summary>
    public async Task StartManagerAsync(CancellationToken cancellationToken = default)
    {
        if (!Server.Repmgrd.IsRunning)
        {
            Server.Repmgrd.Start();
            await cluster.RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL of repmgrd alone: the server runs on, and on a standby nothing fails over for it.</summary>
    public Task KillManagerAsync(CancellationToken cancellationToken = default) => Server.Repmgrd.KillAsync(cancellationToken);

    public Task PauseManagerAsync(CancellationToken cancellationToken = default)
    {
        Server.Repmgrd.Pause();
        return Task.CompletedTask;
    }

    public Task ResumeManagerAsync(CancellationToken cancellationToken = default)
    {
        Server.Repmgrd.Resume();
        return Task.CompletedTask;
    }

    /// <summary>SIGKILL of repmgrd and then of the server: the whole node is gone.</summary>
    public async Task KillAllAsync(CancellationToken cancellationToken = default)
    {
        await Server.Repmgrd.KillAsync(cancellationToken).ConfigureAwait(false);
        if (PostmasterPid is { } pid)
        {
            await PostmasterSignals.KillAsync(pid, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task PauseAllAsync(CancellationToken cancellationToken = default)
    {
        Server.Repmgrd.Pause();
        if (PostmasterPid is { } pid)
        {
            PostmasterSignals.SignalAll(pid, NativeMethods.SigStop);
        }

        return Task.CompletedTask;
    }

    public async Task ResumeAllAsync(CancellationToken cancellationToken = default)
    {
        await ResumeAsync(cancellationToken).ConfigureAwait(false);
        Server.Repmgrd.Resume();
    }

    public Task IsolateAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} is a local process on the host's loopback: it has no network of its own to cut; blackhole its links instead");

    public Task ReconnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The harness never promotes a managed node itself: this is <c>repmgr standby promote</c> on this node (<see cref="RepmgrCluster.FailoverAsync"/>).</summary>
    public Task PromoteAsync(CancellationToken cancellationToken = default) => cluster.FailoverAsync(Name, cancellationToken);

    /// <summary>
    /// Brings this node back as a standby of the leader. A standby's server is just started. A former primary is
    /// stopped cleanly first (a crashed one recovers in single-user mode, which accepts no connection: started
    /// normally it would take writes again), then <c>repmgr node rejoin --force-rewind</c> rewinds it from the
    /// leader and starts it; returns once it streams from the leader, with repmgrd running.
    /// </summary>
    public Task RejoinAsync(CancellationToken cancellationToken = default) => cluster.RejoinAsync(this, cancellationToken);

    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => NodeSql.StatusAsync(this, cancellationToken);
}
