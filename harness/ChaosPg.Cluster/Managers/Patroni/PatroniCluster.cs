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
        var environment = PatroniConfig.Environment(Secrets.Superuser, Secrets.Replication, Secrets.App, restPassword);
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
    /// The first node's Patroni starts alone, so the node named primary wins the initialize key, bootstraps (Patroni's
    /// custom bootstrap copying the local backend's template) and leads at first; the others start as soon as it holds
    /// the key, and once it leads Patroni makes them replicas (copies of the same template during bring-up).
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

    /// <summary>Where bring-up stages a copy of the template for <paramref name="node"/>; Patroni moves it into the data directory.</summary>
    private static string StagedCopyPath(string workDirectory, string node) => Path.Combine(workDirectory, "nodes", node + ".staged");

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

        // Copies of the template, one per node, made while etcd starts and the leader bootstraps, as the local backend
        // makes its nodes: a copy is far cheaper than initdb or pg_basebackup.
        var template = await TemplateCache.EnsureAsync(Binaries, User, Options.WorkRoot, cancellationToken: cancellationToken).ConfigureAwait(false);
        var copies = Nodes.Select(n => TemplateCache.CopyAsync(template, StagedCopyPath(WorkDirectory, n.Name), cancellationToken)).ToList();
        try
        {
            await StartNodesAsync(copies, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Nothing may still write into the work directory when a failed bring-up deletes it.
            await Task.WhenAll(copies).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var staged in Nodes.Select(n => StagedCopyPath(WorkDirectory, n.Name)).Where(Directory.Exists))
        {
            // A copy Patroni did not use (a replica it made otherwise) must not serve a node rebuilt later.
            Directory.Delete(staged, recursive: true);
        }

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

    private async Task StartNodesAsync(List<Task> copies, CancellationToken cancellationToken)
    {
        // The links that do not lead to etcd are routed while it starts (each route is a call to the proxy's API).
        var routing = RouteNodeLinksAsync(cancellationToken);
        try
        {
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
        }
        finally
        {
            await ((Task)routing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var nodeLinks = await routing.ConfigureAwait(false);
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);

        foreach (var (node, (peers, api)) in Nodes.Zip(nodeLinks))
        {
            var dcs = ImmutableArray.CreateBuilder<LinkEndpoint>();
            for (var i = 0; i < Etcd.Members.Length; i++)
            {
                dcs.Add(await router.RouteAsync(PatroniLinkNames.Dcs(node.Name, i + 1, Etcd.Members.Length), Etcd.Members[i].Client, cancellationToken).ConfigureAwait(false));
            }

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
                Path.Combine(WorkDirectory, "patroni", node.Name, "pgpass"),
                StagedCopyPath(WorkDirectory, node.Name));
            await PrivateFiles.WriteAsync(ConfigPath(WorkDirectory, node.Name), PatroniConfig.Render(Spec, Settings, config), User, cancellationToken).ConfigureAwait(false);
        }

        var first = Nodes[0];
        await copies[0].ConfigureAwait(false);
        await first.StartAsync(cancellationToken).ConfigureAwait(false);
        // Once the first node holds the initialize key no other can bootstrap, so the replicas' Patroni (a second or
        // more of Python start-up under load) starts while it still bootstraps; they wait for its leader key.
        await WaitInitializingAsync(first, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(copies).ConfigureAwait(false);
        foreach (var replica in Nodes.Skip(1))
        {
            replica.Patroni.Start();
        }

        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        await WaitBootstrappedAsync(first, cancellationToken).ConfigureAwait(false);
        var replicas = Nodes.Skip(1).Select(n => n.Name).ToList();
        // One query on the leader per poll until the streams are up, then the full check (which asks every REST API and
        // server at once, a second or more per round under load) passes at its first round.
        await WaitReplicationAsync(first, replicas, cancellationToken).ConfigureAwait(false);
        await WaitStreamingAsync(replicas, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Routes each node's <c>peers</c>, <c>api</c> and <c>client</c> links, and makes its data and config directories.</summary>
    private async Task<List<(LinkEndpoint Peers, LinkEndpoint Api)>> RouteNodeLinksAsync(CancellationToken cancellationToken)
    {
        var links = new List<(LinkEndpoint Peers, LinkEndpoint Api)>();
        foreach (var node in Nodes)
        {
            PrivateFiles.NewDirectory(node.DataDirectory, User);
            PrivateFiles.NewDirectory(Path.GetDirectoryName(ConfigPath(WorkDirectory, node.Name))!, User);
            var peers = await router.RouteAsync(PatroniLinkNames.Peers(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
            var api = await router.RouteAsync(PatroniLinkNames.Api(node.Name), node.RestEndpoint, cancellationToken).ConfigureAwait(false);
            node.ClientEndpoint = await router.RouteAsync(LinkNames.Client(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
            links.Add((peers, api));
        }

        return links;
    }

    /// <summary>Waits until every one of <paramref name="names"/> streams from <paramref name="leader"/> as its <c>pg_stat_replication</c> says.</summary>
    private async Task WaitReplicationAsync(PatroniNode leader, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < Options.ReadyTimeout)
        {
            try
            {
                var status = await NodeSql.StatusAsync(leader, cancellationToken).ConfigureAwait(false);
                if (names.All(n => status.Replication.Any(r => r.ApplicationName == n && r.State == "streaming")))
                {
                    return;
                }
            }
            catch (NpgsqlException)
            {
                // The full check that follows reports what it last saw.
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the DCS holds this cluster's initialize key, which <paramref name="node"/>'s Patroni takes as it starts to bootstrap.</summary>
    private async Task WaitInitializingAsync(PatroniNode node, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await Etcd.HasKeyAsync(PatroniConfig.InitializeKey(Scope), cancellationToken).ConfigureAwait(false))
        {
            if (node.Patroni.HasExited)
            {
                throw new NodeStartException($"{node.Patroni.Name} exited with code {node.Patroni.ExitCode} before it bootstrapped; last lines of {node.LogFile}:\n{node.Patroni.LogTail()}");
            }

            if (stopwatch.Elapsed > Options.ReadyTimeout)
            {
                throw new NodeStartException($"{node.Name}'s Patroni did not take the initialize key within {Options.ReadyTimeout.TotalSeconds:0}s; last lines of {node.LogFile}:\n{node.Patroni.LogTail()}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
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
}
