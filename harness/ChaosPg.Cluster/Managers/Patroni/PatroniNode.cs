using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Local;

using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// One node of a <see cref="PatroniCluster"/>: a Patroni process and the PostgreSQL it runs. Faults reach the server,
/// the manager or both; the harness never promotes by itself (<see cref="PromoteAsync"/> asks Patroni for a failover).
/// </summary>
public sealed class PatroniNode : IManagedNode
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly PatroniCluster cluster;

    internal PatroniNode(PatroniCluster cluster, string name, string dataDirectory, int port, int restPort, ManagedProcess patroni)
    {
        this.cluster = cluster;
        Name = name;
        DataDirectory = dataDirectory;
        Port = port;
        RestPort = restPort;
        Patroni = patroni;
        ClientEndpoint = Endpoint;
    }

    public string Name { get; }

    /// <summary>The server's data directory (Patroni's data_dir).</summary>
    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>Where this node's Patroni REST API listens.</summary>
    public int RestPort { get; }

    /// <summary>Patroni's REST API, straight (harness use).</summary>
    public LinkEndpoint RestEndpoint => new("127.0.0.1", RestPort);

    public LinkEndpoint Endpoint => new("127.0.0.1", Port);

    public LinkEndpoint ClientEndpoint { get; internal set; }

    /// <summary>The leader, while Patroni lists this node as a replica; null otherwise.</summary>
    public IClusterNode? Upstream => cluster.UpstreamOf(this);

    /// <summary>Whether this node's PostgreSQL runs (a paused one runs).</summary>
    public bool IsRunning => PostmasterPid is not null;

    /// <summary>Whether this node's Patroni runs (a paused one runs).</summary>
    public bool ManagerIsRunning => Patroni.IsRunning;

    /// <summary>The postmaster's pid, from postmaster.pid, checked against /proc; null when the server is down.</summary>
    public int? PostmasterPid =>
        PostmasterPidFile.TryRead(DataDirectory) is { Pid: var pid } && ProcessTable.IsPostmasterOf(pid, DataDirectory) ? pid : null;

    /// <summary>Patroni's pid; null when it is down.</summary>
    public int? ManagerPid => Patroni.Pid;

    /// <summary>Patroni's log, which also holds its server's output.</summary>
    public string LogFile => Patroni.LogFile;

    public bool CanIsolate => false;

    internal ManagedProcess Patroni { get; }

    public string GetConnectionString(DatabaseRole role) => cluster.ConnectionString(Endpoint, role);

    public string GetClientConnectionString(DatabaseRole role) => cluster.ConnectionString(ClientEndpoint, role);

    /// <summary>Starts this node's Patroni, which starts (or adopts) its server; does nothing when Patroni runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!Patroni.IsRunning)
        {
            Patroni.Start();
            await cluster.RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops Patroni (SIGTERM: it shuts its server down first); a server left running without it gets a fast shutdown.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await Patroni.StopAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
        if (PostmasterPid is { } pid)
        {
            NativeMethods.Signal(pid, NativeMethods.SigCont);
            NativeMethods.Signal(pid, NativeMethods.SigInt);
            if (!await PostmasterSignals.WaitGoneAsync([pid], StopTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException($"{Name}'s server did not stop within {StopTimeout.TotalSeconds:0}s");
            }
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILL of the server alone. Patroni notices and starts it again in place (crash recovery); no failover.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) =>
        PostmasterSignals.KillAsync(PostmasterPid ?? throw new InvalidOperationException($"{Name}'s server is not running"), cancellationToken);

    /// <summary>SIGSTOP of the server and its children alone; Patroni keeps renewing the leader key.</summary>
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

    /// <summary>Starts Patroni again after a kill: it takes its server over (a running one is adopted, a stopped one started, a deposed leader demoted and rewound).</summary>
    public Task StartManagerAsync(CancellationToken cancellationToken = default) => StartAsync(cancellationToken);

    /// <summary>SIGKILL of Patroni alone: its server keeps running (and, as leader, accepting writes); nothing fences it without a watchdog.</summary>
    public Task KillManagerAsync(CancellationToken cancellationToken = default) => Patroni.KillAsync(cancellationToken);

    /// <summary>SIGSTOP of Patroni alone: it stops renewing the leader key while its server runs on.</summary>
    public Task PauseManagerAsync(CancellationToken cancellationToken = default)
    {
        Patroni.Pause();
        return Task.CompletedTask;
    }

    /// <summary>SIGCONT of Patroni; does nothing to one that is not paused.</summary>
    public Task ResumeManagerAsync(CancellationToken cancellationToken = default)
    {
        Patroni.Resume();
        return Task.CompletedTask;
    }

    /// <summary>SIGKILL of Patroni and then of its server, so nothing is left to restart the server: the node is gone.</summary>
    public async Task KillAllAsync(CancellationToken cancellationToken = default)
    {
        await Patroni.KillAsync(cancellationToken).ConfigureAwait(false);
        if (PostmasterPid is { } pid)
        {
            await PostmasterSignals.KillAsync(pid, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGSTOP of Patroni, then of its server and children: the whole node hangs.</summary>
    public Task PauseAllAsync(CancellationToken cancellationToken = default)
    {
        Patroni.Pause();
        if (PostmasterPid is { } pid)
        {
            PostmasterSignals.SignalAll(pid, NativeMethods.SigStop);
        }

        return Task.CompletedTask;
    }

    /// <summary>SIGCONT of the server, then of Patroni.</summary>
    public async Task ResumeAllAsync(CancellationToken cancellationToken = default)
    {
        await ResumeAsync(cancellationToken).ConfigureAwait(false);
        Patroni.Resume();
    }

    public Task IsolateAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} is a local process on the host's loopback: it has no network of its own to cut; blackhole its links instead");

    public Task ReconnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// The harness never promotes a managed node itself: this asks Patroni for a failover to this node (a switchover
    /// when there is a leader) and returns once Patroni lists it as leader and its server accepts writes.
    /// </summary>
    public Task PromoteAsync(CancellationToken cancellationToken = default) => cluster.FailoverToAsync(this, cancellationToken);

    /// <summary>Rejoin is Patroni's job (it runs pg_rewind itself): starts Patroni if it is down and waits until this node streams from the leader.</summary>
    public async Task RejoinAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await cluster.WaitStreamingAsync([Name], cancellationToken).ConfigureAwait(false);
    }

    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => NodeSql.StatusAsync(this, cancellationToken);

    /// <summary>Immediate teardown: Patroni and what it runs besides the server (pg_basebackup, pg_rewind) killed first, so nothing restarts the server or writes into the data directory; then the server shut down.</summary>
    internal async Task TerminateAsync()
    {
        var postmaster = PostmasterPid;
        await Patroni.KillTreeAsync(pid => pid == postmaster || (postmaster is { } p && ProcessTable.Children(p).Contains(pid)), CancellationToken.None).ConfigureAwait(false);
        if (PostmasterPid is { } pid)
        {
            await PostmasterSignals.TerminateAsync(DataDirectory, pid, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            PostmasterSignals.RemoveLeftoverSharedMemory(DataDirectory);
        }

        await Patroni.DisposeAsync().ConfigureAwait(false);
    }
}
