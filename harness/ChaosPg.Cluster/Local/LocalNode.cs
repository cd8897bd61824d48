using System.Collections.Immutable;
using System.Diagnostics;
using ChaosPg.Cluster.Reaping;
using Npgsql;

namespace ChaosPg.Cluster.Local;

/// <summary>One node of a <see cref="LocalCluster"/>: its faults (kill, pause, stop), actions (promote, rejoin) and status.</summary>
public sealed class LocalNode : IClusterNode
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private readonly LocalCluster cluster;
    private Process? launched;

    internal LocalNode(LocalCluster cluster, string name, string dataDirectory, string logFile, int port)
    {
        this.cluster = cluster;
        Name = name;
        DataDirectory = dataDirectory;
        LogFile = logFile;
        Port = port;
        ClientEndpoint = Endpoint;
    }

    public string Name { get; }

    public string DataDirectory { get; }

    /// <summary>The server log (stderr of the postmaster).</summary>
    public string LogFile { get; }

    public int Port { get; private set; }

    /// <summary>Where the server listens; the harness's own connections go here, never through a link.</summary>
    public LinkEndpoint Endpoint => new(cluster.NodeNetwork.AdminHost(Name), Port);

    /// <summary>Where workload clients connect: the routed <c>client-&gt;node</c> link.</summary>
    public LinkEndpoint ClientEndpoint { get; internal set; }

    /// <summary>The node this one streams WAL from; null for a primary.</summary>
    public LocalNode? Upstream { get; internal set; }

    IClusterNode? IClusterNode.Upstream => Upstream;

    /// <summary>The running postmaster's pid, from postmaster.pid; null when the node is down.</summary>
    public int? Pid => RunningPid();

    public bool IsRunning => RunningPid() is not null;

    /// <summary>Connection string straight to the node (harness use).</summary>
    public string GetConnectionString(DatabaseRole role) => cluster.ConnectionString(Endpoint, role);

    /// <summary>Connection string through the node's client link (workload use).</summary>
    public string GetClientConnectionString(DatabaseRole role) => cluster.ConnectionString(ClientEndpoint, role);

    public Task StartAsync(CancellationToken cancellationToken = default) => StartProcessAsync(allowNewPort: false, cancellationToken);

    /// <summary>Fast shutdown (SIGINT, as <c>pg_ctl stop -m fast</c>); does nothing when the node is down.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (RunningPid() is not { } pid)
        {
            return;
        }

        NativeMethods.Signal(pid, NativeMethods.SigInt);
        if (!await PostmasterSignals.WaitGoneAsync([pid], cluster.Options.ReadyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"{Name} did not stop within {cluster.Options.ReadyTimeout.TotalSeconds:0}s");
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILL of the postmaster; returns once it and every process it forked are gone.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => PostmasterSignals.KillAsync(RequireRunning(), cancellationToken);

    /// <summary>SIGSTOP of the postmaster and all its children: the node hangs without closing a connection.</summary>
    public Task PauseAsync(CancellationToken cancellationToken = default)
    {
        PostmasterSignals.SignalAll(RequireRunning(), NativeMethods.SigStop);
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        PostmasterSignals.SignalAll(RequireRunning(), NativeMethods.SigCont);
        return Task.CompletedTask;
    }

    /// <summary>False: local nodes share the host's loopback, so an isolation blackholes the node's links instead.</summary>
    public bool CanIsolate => false;

    /// <summary>Not supported (see <see cref="CanIsolate"/>).</summary>
    public Task IsolateAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} is a local process on the host's loopback: it has no network of its own to cut; blackhole its links instead");

    /// <summary>Does nothing: a local node is never isolated by itself.</summary>
    public Task ReconnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Promotes this replica and makes the other replicas of the old primary stream from it on the new timeline.</summary>
    public async Task PromoteAsync(CancellationToken cancellationToken = default)
    {
        var oldPrimary = cluster.Primary;
        var followers = cluster.Nodes.Where(n => n != this && n.Upstream == oldPrimary).ToList();
        // Before pg_promote (a standby takes ALTER SYSTEM): its first commit as primary already waits for the right standbys.
        await NodeSql.ConfigureSynchronousStandbysAsync(cluster.Spec, this, followers.Select(n => n.Name), cancellationToken).ConfigureAwait(false);
        await NodeSql.PromoteAsync(this, cancellationToken).ConfigureAwait(false);
        Upstream = null;
        cluster.Primary = this;
        foreach (var node in followers)
        {
            await cluster.FollowAsync(node, this, createSlot: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes this former primary a replica of the current primary: pg_rewind from it, standby configuration with a
    /// slot, start, and wait until it streams.
    /// </summary>
    public async Task RejoinAsync(CancellationToken cancellationToken = default)
    {
        var primary = cluster.Primary;
        await NodeSql.PrepareRewindAsync(this, primary, cancellationToken).ConfigureAwait(false);

        var source = $"host={primary.Endpoint.Host} port={primary.Port} user={ClusterRoles.Superuser} dbname={ClusterRoles.AppDatabase} passfile={cluster.PassFile} sslmode=disable connect_timeout=5";
        var result = await cluster.User.RunAsync(
            cluster.Binaries.Tool("pg_rewind"),
            ["--target-pgdata", DataDirectory, "--source-server", source],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_rewind of {Name} from {primary.Name} failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }

        // pg_rewind copied the source's configuration files; this node needs its own port and name back.
        await cluster.WriteNodeConfigAsync(this, cancellationToken).ConfigureAwait(false);
        await cluster.WriteServerFileAsync(Path.Combine(DataDirectory, "standby.signal"), string.Empty, cancellationToken).ConfigureAwait(false);
        await cluster.FollowAsync(this, primary, createSlot: true, cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        // Once rejoined this node is one of the primary's standbys: the primary now also waits for it (if the spec says so).
        var mode = await NodeSql.ConfigureSynchronousStandbysAsync(
            cluster.Spec, primary, cluster.Nodes.Where(n => n.Upstream == primary).Select(n => n.Name), cancellationToken).ConfigureAwait(false);
        await NodeSql.WaitForStreamingAsync(mode, primary, [Name], cluster.Options.ReadyTimeout, cancellationToken).ConfigureAwait(false);

        // Slots this node had as a primary survive pg_rewind; left alone they would pin old WAL here for good.
        await NodeSql.DropInactiveSlotsAsync(this, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A snapshot of role, timeline, LSNs, the standbys streaming from this node and its WAL receiver.</summary>
    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => NodeSql.StatusAsync(this, cancellationToken);

    internal async Task StartProcessAsync(bool allowNewPort, CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchAsync(cancellationToken).ConfigureAwait(false);
                cluster.Reaper.Add(Pid is { } pid ? ReapEntry.Process(pid, $"postmaster of {Name}") : null);
                await cluster.RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NodeStartException) when (allowNewPort && attempt < 5 && !LocalCluster.PortIsFree(Port))
            {
                // Another process took the port between allocation and bind: move to a new one.
                Port = cluster.AllocatePort();
                await cluster.WriteNodeConfigAsync(this, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Immediate shutdown of whatever this node still runs, for teardown.</summary>
    internal async Task TerminateAsync()
    {
        var pid = RunningPid() ?? (launched is { HasExited: false } process ? process.Id : null);
        if (pid is { } running)
        {
            await PostmasterSignals.TerminateAsync(DataDirectory, running).ConfigureAwait(false);
        }
        else
        {
            PostmasterSignals.RemoveLeftoverSharedMemory(DataDirectory);
        }

        launched?.Dispose();
        launched = null;
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var (fileName, arguments) = cluster.User.Command(cluster.Binaries.Tool("postgres"), "-D", DataDirectory);
        // In the kernel network mode the server starts inside its node's namespace (nsenter execs, so the pid stays the postmaster's).
        var prefix = cluster.NodeNetwork.LaunchPrefix(Name);
        // setsid: the server gets its own session, so a Ctrl-C meant for the harness never reaches it and the harness
        // decides how it stops. exec keeps one pid all the way down: the Process's pid is the postmaster's.
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in (IEnumerable<string>)["-c", "log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null", "sh", LogFile, .. prefix, fileName, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        launched?.Dispose();
        launched = Process.Start(startInfo) ?? throw new NodeStartException($"could not start {Name}");
        var deadline = DateTime.UtcNow + cluster.Options.ReadyTimeout;
        while (true)
        {
            if (launched.HasExited)
            {
                throw Failure($"exited with code {launched.ExitCode} during start");
            }

            if (PostmasterPidFile.TryRead(DataDirectory) is { Status: "ready" or "standby" } pidFile && pidFile.Pid == launched.Id)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                await PostmasterSignals.TerminateAsync(DataDirectory, launched.Id, CancellationToken.None).ConfigureAwait(false);
                throw Failure($"did not accept connections within {cluster.Options.ReadyTimeout.TotalSeconds:0}s");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private NodeStartException Failure(string what)
    {
        string tail;
        try
        {
            tail = string.Join('\n', File.ReadLines(LogFile).TakeLast(15));
        }
        catch (IOException)
        {
            tail = "(no log)";
        }

        return new NodeStartException($"node {Name} (port {Port}) {what}; last lines of {LogFile}:\n{tail}");
    }

    private int RequireRunning() => RunningPid() ?? throw new InvalidOperationException($"{Name} is not running");

    private int? RunningPid() =>
        PostmasterPidFile.TryRead(DataDirectory) is { Pid: var pid } && ProcessTable.IsPostmasterOf(pid, DataDirectory) ? pid : null;
}
