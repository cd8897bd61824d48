using ChaosPg.Cluster.Reaping;
using ChaosPg.Toxiproxy;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using ChaosPg.Cluster.Target;

namespace ChaosPg.Cluster.Local;

/// <summary>
/// A primary and its streaming replicas as local processes, each in its own data directory under a per-run work
/// directory. Disposal stops every process and removes the directories.
/// </summary>
public sealed class LocalCluster : IReplicatedCluster, IDescribableAsTarget
{
    private readonly SemaphoreSlim ownerFileLock = new(1, 1);
    private readonly HashSet<int> allocatedPorts = [];
    private readonly ILinkRouter router;
    private int disposed;

    private LocalCluster(ClusterSpec spec, LocalClusterOptions options, PgBinaries binaries, ServerUser user, string runId, string workDirectory, RunReaper reaper)
    {
        Reaper = reaper;
        Spec = spec;
        Options = options;
        Binaries = binaries;
        User = user;
        RunId = runId;
        WorkDirectory = workDirectory;
        LogDirectory = options.LogDirectory ?? Path.Combine(workDirectory, "logs");
        PassFile = Path.Combine(workDirectory, "secrets", "pgpass");
        router = options.LinkRouter ?? new DirectLinkRouter();
        NodeNetwork = options.NodeNetwork ?? LoopbackNodeNetwork.Instance;
        Secrets = RunSecrets.Generate();
        var nodesDirectory = Path.Combine(workDirectory, "nodes");
        Nodes = [.. spec.NodeNames.Select(name => new LocalNode(this, name, Path.Combine(nodesDirectory, name), Path.Combine(LogDirectory, name + ".log"), AllocatePort()))];
        Primary = Nodes[0];
    }

    public ClusterSpec Spec { get; }

    public PgBinaries Binaries { get; }

    public string RunId { get; }

    /// <summary>The run's work directory: owner.json, nodes/&lt;node&gt; data directories, the passfile.</summary>
    public string WorkDirectory { get; }

    public string LogDirectory { get; }

    /// <summary>All nodes, in spec order (primary, replica1, ...); names never change, roles do.</summary>
    public ImmutableArray<LocalNode> Nodes { get; }

    /// <summary>The current primary: the original one until a promotion.</summary>
    public LocalNode Primary { get; internal set; }

    internal LocalClusterOptions Options { get; }

    /// <summary>Where everything the run starts is registered, so that it is gone soon after this process, however it ends.</summary>
    internal RunReaper Reaper { get; }

    internal ServerUser User { get; }

    internal INodeNetwork NodeNetwork { get; }

    internal string PassFile { get; }

    private RunSecrets Secrets { get; }

    /// <inheritdoc/>
    public string Backend => "local";

    /// <inheritdoc/>
    public string ServerVersion => Binaries.Version;

    ImmutableArray<IClusterNode> IReplicatedCluster.Nodes => [.. Nodes];

    IClusterNode IReplicatedCluster.Primary => Primary;

    IClusterNode IReplicatedCluster.this[string name] => this[name];

    public LocalNode this[string name] =>
        Nodes.FirstOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"no node named {name}; nodes are {string.Join(", ", Nodes.Select(n => n.Name))}");

    /// <summary>
    /// Brings up the primary and its replicas and returns once every replica streams. Every node starts from a copy
    /// of a cached template taken while the server was shut down cleanly: a valid base backup, so replicas need no
    /// pg_basebackup. Leftovers of runs whose harness died are swept first.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(ClusterSpec spec, LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new LocalClusterOptions();
        var binaries = await PgBinariesLocator.LocateAsync(spec.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        var user = ServerUser.Resolve(options.ServerUserName);
        await ClusterSweeper.SweepAsync(options.WorkRoot, cancellationToken).ConfigureAwait(false);

        var runId = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid():N}"[..24];
        var workDirectory = Path.Combine(options.WorkRoot, "runs", runId);
        // Started before anything of the run exists, and told of each thing before it is made: a harness killed at
        // any moment leaves the reaper a list that covers it.
        var reaper = options.Reaper ?? RunReaper.Start(
            Path.Combine(options.WorkRoot, "reap"), runId, options.LogDirectory is { } logs ? Path.Combine(logs, "reaper.log") : null);
        LocalCluster cluster;
        string template;
        try
        {
            template = await TemplateCache.EnsureAsync(binaries, user, options.WorkRoot, reaper, cancellationToken).ConfigureAwait(false);
            RegisterWorkDirectory(reaper, workDirectory, spec.NodeNames, options.KeepData);
            ServerDirectory.Create(workDirectory);
            cluster = new LocalCluster(spec, options, binaries, user, runId, workDirectory, reaper);
        }
        catch
        {
            if (options.Reaper is null)
            {
                await reaper.ReleaseAsync(reap: true).ConfigureAwait(false);
            }

            throw;
        }

        try
        {
            await cluster.BringUpAsync(template, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until each of <paramref name="nodes"/> streams from <paramref name="upstream"/> with the spec's sync state.</summary>
    public Task WaitForStreamingAsync(LocalNode upstream, IReadOnlyCollection<string> nodes, CancellationToken cancellationToken = default) =>
        NodeSql.WaitForStreamingAsync(Spec, upstream, nodes, Options.ReadyTimeout, cancellationToken);

    /// <summary>
    /// Waits until every running replica streams from the current primary and has replayed the WAL the primary had
    /// when the wait began, or until <paramref name="deadline"/> passes: not converging is a result, not an exception.
    /// </summary>
    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        ConvergenceWaiter.WaitAsync(this, deadline, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        var torn = false;
        try
        {
            // Teardown has its own deadlines and never uses a caller's token, which may already be cancelled. Nodes are
            // independent processes, so they stop in parallel: a Ctrl-C leaves the CLI only seconds to finish.
            await Task.WhenAll(Nodes.Select(node => node.TerminateAsync())).ConfigureAwait(false);

            if (Options.KeepData)
            {
                File.Delete(Path.Combine(WorkDirectory, RunOwnerFile.FileName));
            }
            else if (Directory.Exists(WorkDirectory))
            {
                // Data directories first and owner.json last: if this process dies mid-way (deleting takes a while on a
                // slow disk), the reaper, or else the sweep, still finds what is left.
                var nodesDirectory = Path.Combine(WorkDirectory, "nodes");
                if (Directory.Exists(nodesDirectory))
                {
                    Directory.Delete(nodesDirectory, recursive: true);
                }

                Directory.Delete(WorkDirectory, recursive: true);
            }

            torn = true;
        }
        finally
        {
            ownerFileLock.Dispose();
            if (Options.Reaper is null)
            {
                // A teardown that failed part-way leaves the rest to the reaper, at once.
                await Reaper.ReleaseAsync(reap: !torn).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Tells the reaper of the run's work directory: every process run from it, each node's shared memory, the directory itself.</summary>
    internal static void RegisterWorkDirectory(RunReaper reaper, string workDirectory, IEnumerable<string> nodeNames, bool keepData)
    {
        reaper.Add(ReapEntry.CommandLine(workDirectory + "/", "a server of the run"));
        foreach (var name in nodeNames)
        {
            reaper.Add(ReapEntry.PostgresData(Path.Combine(workDirectory, "nodes", name), $"data directory of {name}"));
        }

        // --keep-data keeps the directories; only owner.json goes, so that no sweep deletes what was kept.
        reaper.Add(keepData
            ? ReapEntry.Path(Path.Combine(workDirectory, RunOwnerFile.FileName), "the run's owner file (data kept)")
            : ReapEntry.Path(workDirectory, "the run's work directory"));
    }

    internal string ConnectionString(LinkEndpoint endpoint, DatabaseRole role) => Secrets.ConnectionString(endpoint, role);

    /// <summary>This cluster as a target file describes it: its client links, its nodes, pid-file and pg_ctl commands.</summary>
    public TargetDescription DescribeAsTarget(string file) => LocalTargetDescriber.Describe(this, Secrets, file);

    /// <summary>Points <paramref name="node"/>'s WAL stream at <paramref name="upstream"/> through its link, reloading it if it runs.</summary>
    internal async Task FollowAsync(LocalNode node, LocalNode upstream, bool createSlot, CancellationToken cancellationToken)
    {
        if (createSlot)
        {
            await NodeSql.CreateSlotAsync(upstream, NodeConfig.SlotName(node.Name), cancellationToken).ConfigureAwait(false);
        }

        var endpoint = await router.RouteAsync(LinkNames.WalStream(node.Name, upstream.Name), upstream.Endpoint, cancellationToken).ConfigureAwait(false);
        // The same file ALTER SYSTEM writes; a reload (SIGHUP) makes the WAL receiver reconnect with it (PostgreSQL 13+).
        await WriteServerFileAsync(
            Path.Combine(node.DataDirectory, "postgresql.auto.conf"),
            NodeConfig.StandbyAutoConf(node.Name, endpoint, PassFile),
            cancellationToken).ConfigureAwait(false);
        node.Upstream = upstream;
        if (node.Pid is { } pid)
        {
            NativeMethods.Signal(pid, NativeMethods.SigHup);
        }
    }

    internal async Task WriteNodeConfigAsync(LocalNode node, CancellationToken cancellationToken)
    {
        await WriteServerFileAsync(Path.Combine(node.DataDirectory, "postgresql.conf"), NodeConfig.PostgresqlConf(Spec, node.Name, node.Port, NodeNetwork.ListenAddresses(node.Name)), cancellationToken).ConfigureAwait(false);
        await WriteServerFileAsync(Path.Combine(node.DataDirectory, "pg_hba.conf"), NodeConfig.PgHbaConf(NodeNetwork.ClientCidr), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a file only the server user may read.</summary>
    internal async Task WriteServerFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
        RestrictToOwner(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        User.Own(path);
    }

    internal async Task RecordOwnerAsync(CancellationToken cancellationToken)
    {
        var self = Environment.ProcessId;
        var reaper = Reaper.ProcessId;
        var owner = new RunOwnerFile(
            self,
            ProcessTable.StartTime(self) ?? 0,
            WorkDirectory,
            [.. Nodes.Select(n => new RunOwnerNode(n.Name, n.DataDirectory, n.Pid))],
            reaper,
            reaper is { } pid ? ProcessTable.StartTime(pid) : null);
        await ownerFileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await owner.WriteAsync(Path.Combine(WorkDirectory, RunOwnerFile.FileName), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ownerFileLock.Release();
        }
    }

    internal int AllocatePort()
    {
        lock (allocatedPorts)
        {
            while (true)
            {
                var port = LoopbackPorts.Free();
                if (allocatedPorts.Add(port))
                {
                    return port;
                }
            }
        }
    }

    internal static bool PortIsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task BringUpAsync(string template, CancellationToken cancellationToken)
    {
        // Written before anything starts, so a harness killed at any point leaves a run the sweeper can find.
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        var nodesDirectory = Path.Combine(WorkDirectory, "nodes");
        var secretsDirectory = Path.GetDirectoryName(PassFile)!;
        foreach (var directory in new[] { nodesDirectory, secretsDirectory })
        {
            Directory.CreateDirectory(directory);
            RestrictToOwner(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            User.Own(directory);
        }

        ServerDirectory.Create(LogDirectory);
        await WriteServerFileAsync(PassFile, Secrets.PassFile(), cancellationToken).ConfigureAwait(false);

        await Task.WhenAll(Nodes.Select(async node =>
        {
            await TemplateCache.CopyAsync(template, node.DataDirectory, cancellationToken).ConfigureAwait(false);
            await WriteNodeConfigAsync(node, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);

        var replicas = Nodes.Skip(1).ToList();
        // Slots are created before the primary writes any WAL, so they reserve WAL from the template's checkpoint:
        // exactly where the replicas, copies of that same template, start replaying.
        var slots = string.Concat(replicas.Select(r => $"SELECT pg_create_physical_replication_slot('{NodeConfig.SlotName(r.Name)}', true);\n"));
        await TemplateCache.RunSingleUserAsync(Primary.Name, Binaries, User, Primary.DataDirectory, Secrets.SetPasswordsSql() + slots, cancellationToken).ConfigureAwait(false);
        await Primary.StartProcessAsync(allowNewPort: true, cancellationToken).ConfigureAwait(false);

        await Task.WhenAll(replicas.Select(async replica =>
        {
            await WriteServerFileAsync(Path.Combine(replica.DataDirectory, "standby.signal"), string.Empty, cancellationToken).ConfigureAwait(false);
            await FollowAsync(replica, Primary, createSlot: false, cancellationToken).ConfigureAwait(false);
            await replica.StartProcessAsync(allowNewPort: true, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);

        foreach (var node in Nodes)
        {
            node.ClientEndpoint = await router.RouteAsync(LinkNames.Client(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
        }

        await WaitForStreamingAsync(Primary, [.. replicas.Select(r => r.Name)], cancellationToken).ConfigureAwait(false);
    }

    private static void RestrictToOwner(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
