using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Reaping;
using Npgsql;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// A cluster whose failover Patroni decides: a run-owned etcd, and per node a Patroni that runs the node's
/// PostgreSQL, all on 127.0.0.1 with per-run ports, passwords and directories, as the server user. Every link goes
/// through the router: <c>client-&gt;node</c>, <c>peers-&gt;node</c> (replication and pg_rewind into the node: each node
/// advertises its proxy as its connect_address), <c>api-&gt;node</c> (Patroni's REST API as other members call it) and
/// <c>node-&gt;dcs</c> (the node's Patroni to etcd). The harness observes the manager and never promotes on its own.
/// </summary>
public sealed class PatroniCluster : IManagedCluster
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly string[] WorkParts = ["nodes", "patroni", "etcd"];
    private readonly SemaphoreSlim ownerFileLock = new(1, 1);
    private readonly ILinkRouter router;
    private readonly string restPassword;
    private readonly RunReaper reaper;
    private EtcdCluster? etcd;
    private string? lastLeader;
    private int disposed;

    private PatroniCluster(ClusterSpec spec, PatroniClusterOptions options, PgBinaries binaries, ServerUser user, string runId, string workDirectory, RunReaper reaper)
    {
        this.reaper = reaper;
        Spec = spec;
        Options = options;
        Binaries = binaries;
        User = user;
        RunId = runId;
        WorkDirectory = workDirectory;
        LogDirectory = options.LogDirectory ?? Path.Combine(workDirectory, "logs");
        router = options.LinkRouter ?? new DirectLinkRouter();
        Secrets = RunSecrets.Generate();
        restPassword = ScramVerifier.NewPassword();
        Rest = new PatroniRestClient(restPassword);
        var environment = PatroniConfig.Environment(Secrets.Superuser, Secrets.Replication, restPassword);
        Nodes = [.. spec.NodeNames.Select(name => new PatroniNode(
            this,
            name,
            Path.Combine(workDirectory, "nodes", name),
            LoopbackPortsFree(),
            LoopbackPortsFree(),
            new ManagedProcess($"patroni {name}", user, options.PatroniBinary, [ConfigPath(workDirectory, name)], Path.Combine(LogDirectory, name + ".log"), environment)))];
        Observer = new ManagerObserver([.. Nodes.Cast<IClusterNode>()], FirstClusterViewAsync, options.ObserveInterval);
    }

    public ClusterSpec Spec { get; }

    public PgBinaries Binaries { get; }

    public string RunId { get; }

    /// <summary>The DCS scope of this run: no two runs share one.</summary>
    public string Scope => "chaospg-" + RunId;

    /// <summary>The run's work directory: owner.json, nodes/&lt;node&gt;, patroni/&lt;node&gt; (patroni.yml, pgpass), etcd/.</summary>
    public string WorkDirectory { get; }

    public string LogDirectory { get; }

    /// <inheritdoc/>
    public string Backend => "local";

    /// <summary>The manager: <c>patroni</c>.</summary>
#pragma warning disable CA1822 // An instance property: the provider seam reads it through the cluster it made.
    public string Manager => "patroni";
#pragma warning restore CA1822

    /// <inheritdoc/>
    public string ServerVersion => Binaries.Version;

    /// <summary>The manager's settings as the run uses them.</summary>
    public PatroniSettings Settings => Options.Settings;

    /// <summary>All nodes, in spec order; names never change, roles do.</summary>
    public ImmutableArray<PatroniNode> Nodes { get; }

    /// <summary>The run's etcd.</summary>
    public EtcdCluster Etcd => etcd ?? throw new InvalidOperationException("etcd has not started");

    /// <summary>What the harness sees of the manager: role changes, the latest observation.</summary>
    public ManagerObserver Observer { get; }

    /// <inheritdoc/>
    public event Action<RoleChange>? RoleChanged
    {
        add => Observer.RoleChanged += value;
        remove => Observer.RoleChanged -= value;
    }

    /// <inheritdoc/>
    public ManagerView? LatestView => Observer.LatestView;

    /// <summary>The versions of patroni and etcd (filled in by <see cref="PatroniManager"/>; empty for a cluster started directly).</summary>
    public ImmutableSortedDictionary<string, string> Versions { get; internal set; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <inheritdoc/>
    public ManagerFacts Facts => new(Manager, Versions, Settings.Describe(Spec.ReplicationMode));

    /// <summary>Patroni's etcd members, by the names schedules use: <c>dcs1</c> (.. <c>dcs3</c>).</summary>
    public ImmutableArray<string> Auxiliaries => [.. Enumerable.Range(1, Settings.EtcdMembers).Select(i => DcsName(i))];

    /// <inheritdoc/>
    public IEnumerable<string> ManagerLogFiles => Nodes.Select(n => n.LogFile).Concat(etcd?.LogFiles ?? []);

    /// <summary>The leader Patroni lists now, or the last one it listed while no one holds the key.</summary>
    public PatroniNode Primary => this[Observer.LatestView?.Leader ?? lastLeader ?? Spec.NodeNames[0]];

    ImmutableArray<IClusterNode> IReplicatedCluster.Nodes => [.. Nodes];

    IClusterNode IReplicatedCluster.Primary => Primary;

    IClusterNode IReplicatedCluster.this[string name] => this[name];

    internal PatroniClusterOptions Options { get; }

    internal ServerUser User { get; }

    internal PatroniRestClient Rest { get; }

    private RunSecrets Secrets { get; }

    public PatroniNode this[string name] =>
        Nodes.FirstOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"no node named {name}; nodes are {string.Join(", ", Nodes.Select(n => n.Name))}");

    /// <summary>
    /// Brings up etcd and one Patroni per node; returns once a leader is elected and every replica streams from it.
    /// The first node's Patroni starts alone, so the node named primary bootstraps (initdb) and leads at first; the
    /// others then join as replicas (pg_basebackup through the leader's <c>peers</c> link).
    /// </summary>
    public static async Task<PatroniCluster> StartAsync(ClusterSpec spec, PatroniClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new PatroniClusterOptions();
        options.Settings.Validate();
        if (spec.ReplicationMode == ReplicationMode.Quorum)
        {
            throw new ClusterConfigurationException("replication: quorum is not available with manager patroni (Patroni 3.0 has no quorum commit); use sync or async.");
        }

        RequireOnPath(options.PatroniBinary, "patroni");
        RequireOnPath(options.EtcdBinary, "etcd-server");
        var binaries = await PgBinariesLocator.LocateAsync(spec.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        var user = ServerUser.Resolve(options.ServerUserName);
        await ClusterSweeper.SweepAsync(options.WorkRoot, cancellationToken).ConfigureAwait(false);

        var runId = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid():N}"[..24];
        var workDirectory = Path.Combine(options.WorkRoot, "runs", runId);
        // As for the local backend: the reaper starts before anything of the run exists and is told of the work
        // directory first, so a harness SIGKILLed at any moment has its Patroni, etcd and servers (all run with paths
        // under that directory on their command lines) killed and the directory removed within seconds.
        var reaper = RunReaper.Start(Path.Combine(options.WorkRoot, "reap"), runId, options.LogDirectory is { } logs ? Path.Combine(logs, "reaper.log") : null);
        PatroniCluster cluster;
        try
        {
            LocalCluster.RegisterWorkDirectory(reaper, workDirectory, spec.NodeNames, options.KeepData);
            Directory.CreateDirectory(workDirectory);
            cluster = new PatroniCluster(spec, options, binaries, user, runId, workDirectory, reaper);
        }
        catch
        {
            await reaper.ReleaseAsync(reap: true).ConfigureAwait(false);
            throw;
        }

        try
        {
            await cluster.BringUpAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A connection string naming every node's client link, with <c>Target Session Attributes=read-write</c>: Npgsql
    /// tries them in order and keeps the first that accepts writes, as production clients of a Patroni cluster do.
    /// </summary>
    public string GetMultiHostConnectionString(DatabaseRole role)
    {
        var builder = new NpgsqlConnectionStringBuilder(Secrets.ConnectionString(Nodes[0].ClientEndpoint, role))
        {
            Host = string.Join(',', Nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.ClientEndpoint.Host}:{n.ClientEndpoint.Port}"))),
            TargetSessionAttributes = "read-write",
            // Npgsql remembers which host was writable for this long: keep it short, roles change under the clients.
            HostRecheckSeconds = 1,
        };
        return builder.ConnectionString;
    }

    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        ConvergenceWaiter.WaitAsync(this, deadline, cancellationToken);

    public Task KillAuxiliaryAsync(string name, CancellationToken cancellationToken = default) => Etcd.Process(EtcdMemberOf(name)).KillAsync(cancellationToken);

    public Task PauseAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        Etcd.Process(EtcdMemberOf(name)).Pause();
        return Task.CompletedTask;
    }

    public Task ResumeAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        Etcd.Process(EtcdMemberOf(name)).Resume();
        return Task.CompletedTask;
    }

    public async Task StartAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        var process = Etcd.Process(EtcdMemberOf(name));
        if (!process.IsRunning)
        {
            process.Start();
            await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A switchover through Patroni's REST API (POST /switchover from the leader); Patroni chooses when <paramref name="candidate"/> is null.</summary>
    public async Task SwitchoverAsync(string? candidate, CancellationToken cancellationToken = default)
    {
        var leader = (await Observer.ObserveAsync(cancellationToken).ConfigureAwait(false)).Cluster?.Leader
            ?? throw new InvalidOperationException("switchover needs a leader, and Patroni lists none; use failover");
        await Rest.FailoverAsync(this[leader].RestEndpoint, "switchover", leader, candidate, cancellationToken).ConfigureAwait(false);
        if (!await Observer.WaitForAsync(
                o => o.Cluster?.Leader is { } now && now != leader && (candidate is null || now == candidate) && o.Servers.TryGetValue(now, out var server) && !server.InRecovery,
                Options.ReadyTimeout,
                cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Patroni did not switch over from {leader}{(candidate is null ? string.Empty : " to " + candidate)} within {Options.ReadyTimeout.TotalSeconds:0}s");
        }
    }

    /// <inheritdoc/>
    public Task FailoverAsync(string candidate, CancellationToken cancellationToken = default) => FailoverToAsync(this[candidate], cancellationToken);

    /// <summary>Patroni's maintenance mode (PATCH /config pause): while on, Patroni neither fails over nor restarts anything.</summary>
    public async Task SetMaintenanceAsync(bool paused, CancellationToken cancellationToken = default)
    {
        await Rest.SetPausedAsync(Answering().RestEndpoint, paused, cancellationToken).ConfigureAwait(false);
        if (!await Observer.WaitForAsync(o => o.Cluster?.Paused == paused, Options.ReadyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Patroni did not report pause {(paused ? "on" : "off")} within {Options.ReadyTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary>Waits until each of <paramref name="names"/> streams from the leader (and one is synchronous in synchronous mode).</summary>
    public async Task WaitStreamingAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = "no answer";
        var synchronous = Settings.SynchronousMode || Spec.ReplicationMode == ReplicationMode.Sync;
        while (true)
        {
            var observation = await Observer.ObserveAsync(cancellationToken).ConfigureAwait(false);
            if (observation.Cluster?.Leader is { } leaderName)
            {
                try
                {
                    // 3.0.2 says "running" for a streaming replica: pg_stat_replication on the leader is the judge.
                    var status = await NodeSql.StatusAsync(this[leaderName], cancellationToken).ConfigureAwait(false);
                    last = status.Replication.Length == 0 ? $"no standby streams from {leaderName}" : string.Join(", ", status.Replication.Select(r => $"{r.ApplicationName}={r.State}/{r.SyncState}"));
                    // pg_basebackup's own WAL stream carries the member's name too: a replica counts once its
                    // server answers in recovery and Patroni calls it running.
                    if (status.Role == NodeRole.Primary
                        && names.All(n => status.Replication.Any(r => r.ApplicationName == n && r.State == "streaming")
                            && observation.Servers.TryGetValue(n, out var server) && server.InRecovery
                            && observation.Cluster[n]?.State == "running")
                        && (!synchronous || status.Replication.Any(r => r.SyncState == "sync")))
                    {
                        return;
                    }
                }
                catch (NpgsqlException exception)
                {
                    last = $"{leaderName}: {exception.Message}";
                }
            }
            else
            {
                last = observation.Cluster is null ? "no Patroni REST API answered" : "no leader";
            }

            if (stopwatch.Elapsed > Options.ReadyTimeout)
            {
                throw new TimeoutException($"replicas {string.Join(", ", names)} did not stream from the leader within {Options.ReadyTimeout.TotalSeconds:0}s (last seen: {last})");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        var torn = false;
        try
        {
            await Observer.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(Nodes.Select(n => n.TerminateAsync())).ConfigureAwait(false);
            if (etcd is not null)
            {
                await etcd.DisposeAsync().ConfigureAwait(false);
            }

            Rest.Dispose();
            if (Options.KeepData)
            {
                File.Delete(Path.Combine(WorkDirectory, RunOwnerFile.FileName));
            }
            else if (Directory.Exists(WorkDirectory))
            {
                foreach (var part in WorkParts.Select(p => Path.Combine(WorkDirectory, p)).Where(Directory.Exists))
                {
                    Directory.Delete(part, recursive: true);
                }

                Directory.Delete(WorkDirectory, recursive: true);
            }

            torn = true;
        }
        finally
        {
            ownerFileLock.Dispose();
            // A teardown that failed part-way leaves the rest to the reaper, at once.
            await reaper.ReleaseAsync(reap: !torn).ConfigureAwait(false);
        }
    }

    /// <summary>The schedule's name of etcd member <paramref name="index"/> (from 1).</summary>
    public static string DcsName(int index) => string.Create(CultureInfo.InvariantCulture, $"dcs{index}");

    internal string ConnectionString(LinkEndpoint endpoint, DatabaseRole role) => Secrets.ConnectionString(endpoint, role);

    /// <summary>The leader while Patroni lists <paramref name="node"/> as one of its replicas; null otherwise.</summary>
    internal PatroniNode? UpstreamOf(PatroniNode node)
    {
        var view = Observer.LatestView;
        return view?[node.Name] is { IsLeader: false } && view.Leader is { } leader && leader != node.Name ? this[leader] : null;
    }

    internal void NoteLeader(string? leader)
    {
        if (leader is not null)
        {
            lastLeader = leader;
        }
    }

    /// <summary>Asks Patroni to make <paramref name="candidate"/> the leader (switchover with a leader, failover without) and waits until it is.</summary>
    internal async Task FailoverToAsync(PatroniNode candidate, CancellationToken cancellationToken)
    {
        var leader = (await Observer.ObserveAsync(cancellationToken).ConfigureAwait(false)).Cluster?.Leader;
        if (leader == candidate.Name)
        {
            return;
        }

        await Rest.FailoverAsync(candidate.RestEndpoint, leader is null ? "failover" : "switchover", leader, candidate.Name, cancellationToken).ConfigureAwait(false);
        if (!await Observer.WaitForAsync(
                o => o.Cluster?.Leader == candidate.Name && o.Servers.TryGetValue(candidate.Name, out var server) && !server.InRecovery,
                Options.ReadyTimeout,
                cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Patroni did not make {candidate.Name} the leader within {Options.ReadyTimeout.TotalSeconds:0}s");
        }
    }

    private int EtcdMemberOf(string name)
    {
        var index = Auxiliaries.IndexOf(name);
        return index >= 0 ? index : throw new KeyNotFoundException($"no manager process named {name}; this cluster has {string.Join(", ", Auxiliaries)}");
    }

    /// <summary>Patroni's view from whichever REST API answers first; null when none does.</summary>
    private async Task<ManagerView?> FirstClusterViewAsync(CancellationToken cancellationToken)
    {
        // Asked of every node at once: a paused Patroni holds its request to the timeout, and must not delay the rest.
        var pending = Nodes.Select(n => Rest.TryGetClusterAsync(n.RestEndpoint, ManagerObserver.AnswerTimeout, cancellationToken)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (await done.ConfigureAwait(false) is { } view)
            {
                return view;
            }
        }

        return null;
    }

    internal async Task RecordOwnerAsync(CancellationToken cancellationToken)
    {
        var self = Environment.ProcessId;
        var processes = Nodes.Where(n => n.ManagerPid is not null).Select(n => new RunOwnerProcess(n.Patroni.Name, n.ManagerPid!.Value, n.Patroni.StartTime))
            .Concat((etcd?.RunningProcesses ?? []).Select(p => new RunOwnerProcess(p.Name, p.Pid, p.StartTime)));
        var owner = new RunOwnerFile(self, ProcessTable.StartTime(self) ?? 0, WorkDirectory, [.. Nodes.Select(n => new RunOwnerNode(n.Name, n.DataDirectory, n.PostmasterPid))])
        {
            Processes = [.. processes],
        };
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

    private static string ConfigPath(string workDirectory, string node) => Path.Combine(workDirectory, "patroni", node, "patroni.yml");

    private static int LoopbackPortsFree() => Toxiproxy.LoopbackPorts.Free();

    private static void RequireOnPath(string binary, string package)
    {
        var found = Path.IsPathRooted(binary)
            ? File.Exists(binary)
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(dir => File.Exists(Path.Combine(dir, binary)));
        if (!found)
        {
            throw new ClusterConfigurationException($"manager patroni needs '{binary}', which is not on PATH; install it: apt-get install {package}");
        }
    }

    /// <summary>A node whose Patroni runs, preferring the leader: state-changing REST calls go there.</summary>
    private PatroniNode Answering() => Primary.ManagerIsRunning ? Primary : Nodes.FirstOrDefault(n => n.ManagerIsRunning) ?? Primary;

    private async Task BringUpAsync(CancellationToken cancellationToken)
    {
        // Written before anything starts, so a harness killed at any point leaves a run the sweeper can find.
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(LogDirectory);
        foreach (var directory in WorkParts.Take(2).Select(d => Path.Combine(WorkDirectory, d)))
        {
            PrivateFiles.NewDirectory(directory, User);
        }

        etcd = await EtcdCluster.StartAsync(
            new EtcdOptions
            {
                Members = Settings.EtcdMembers,
                WorkDirectory = WorkDirectory,
                LogDirectory = LogDirectory,
                User = User,
                ClusterToken = Scope,
                Binary = Options.EtcdBinary,
                ReadyTimeout = Options.ReadyTimeout,
            },
            cancellationToken).ConfigureAwait(false);
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);

        foreach (var node in Nodes)
        {
            PrivateFiles.NewDirectory(node.DataDirectory, User);
            PrivateFiles.NewDirectory(Path.GetDirectoryName(ConfigPath(WorkDirectory, node.Name))!, User);
            var peers = await router.RouteAsync(PatroniLinkNames.Peers(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
            var api = await router.RouteAsync(PatroniLinkNames.Api(node.Name), node.RestEndpoint, cancellationToken).ConfigureAwait(false);
            var dcs = ImmutableArray.CreateBuilder<LinkEndpoint>();
            for (var i = 0; i < Etcd.Members.Length; i++)
            {
                dcs.Add(await router.RouteAsync(PatroniLinkNames.Dcs(node.Name, i + 1, Etcd.Members.Length), Etcd.Members[i].Client, cancellationToken).ConfigureAwait(false));
            }

            node.ClientEndpoint = await router.RouteAsync(LinkNames.Client(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
            var config = new PatroniNodeConfig(
                Scope,
                node.Name,
                node.RestEndpoint,
                api,
                node.Endpoint,
                peers,
                dcs.ToImmutable(),
                node.DataDirectory,
                Binaries.BinDirectory,
                Path.Combine(WorkDirectory, "patroni", node.Name, "pgpass"));
            await PrivateFiles.WriteAsync(ConfigPath(WorkDirectory, node.Name), PatroniConfig.Render(Spec, Settings, config), User, cancellationToken).ConfigureAwait(false);
        }

        var first = Nodes[0];
        await first.StartAsync(cancellationToken).ConfigureAwait(false);
        await WaitBootstrappedAsync(first, cancellationToken).ConfigureAwait(false);
        await CreateAppRoleAsync(first, cancellationToken).ConfigureAwait(false);
        foreach (var replica in Nodes.Skip(1))
        {
            replica.Patroni.Start();
        }

        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        await WaitStreamingAsync([.. Nodes.Skip(1).Select(n => n.Name)], cancellationToken).ConfigureAwait(false);
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        Observer.RoleChanged += change =>
        {
            if (change.Kind is RoleChangeKind.LeaderElected or RoleChangeKind.LeaderChanged)
            {
                NoteLeader(change.Node);
            }
        };
        NoteLeader(Observer.LatestView?.Leader);
        Observer.Start();
    }

    /// <summary>Waits until <paramref name="node"/>'s Patroni reports itself a running primary.</summary>
    private async Task WaitBootstrappedAsync(PatroniNode node, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = "no answer";
        while (true)
        {
            if (node.Patroni.HasExited)
            {
                throw new NodeStartException($"{node.Patroni.Name} exited with code {node.Patroni.ExitCode} during bootstrap; last lines of {node.LogFile}:\n{node.Patroni.LogTail()}");
            }

            if (await Rest.TryGetOwnStatusAsync(node.RestEndpoint, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false) is var (role, state))
            {
                last = $"role {role}, state {state}";
                if (role is "master" or "primary" && state == "running")
                {
                    return;
                }
            }

            if (stopwatch.Elapsed > Options.ReadyTimeout)
            {
                throw new NodeStartException($"{node.Name} did not bootstrap as leader within {Options.ReadyTimeout.TotalSeconds:0}s (last seen: {last}); last lines of {node.LogFile}:\n{node.Patroni.LogTail()}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The workload's role and database, made on the bootstrapped leader before any replica copies it. Patroni's
    /// initdb made only the superuser (with its password) and the postgres database, which Patroni itself uses.
    /// </summary>
    private async Task CreateAppRoleAsync(PatroniNode leader, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(leader.GetConnectionString(DatabaseRole.Superuser)) { Database = "postgres" };
        var connection = await NodeSql.OpenAsync(builder.ConnectionString, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await NodeSql.ExecuteAsync(connection, Secrets.CreateAppRoleSql(), cancellationToken).ConfigureAwait(false);
            await NodeSql.ExecuteAsync(connection, $"CREATE DATABASE {ClusterRoles.AppDatabase} OWNER {ClusterRoles.App}", cancellationToken).ConfigureAwait(false);
        }
    }
}
