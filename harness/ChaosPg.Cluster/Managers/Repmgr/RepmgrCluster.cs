using System.Collections.Immutable;
using System.Diagnostics;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Providers;
using Npgsql;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// A cluster whose failover repmgr decides: the primary a copy of the local backend's template, registered with
/// <c>repmgr primary register</c>; each replica made by <c>repmgr standby clone</c> through the primary's
/// <c>peers-&gt;primary</c> link and registered; repmgrd on every node with automatic failover; optionally a witness
/// server (<c>repmgr witness register</c>, its own repmgrd). All on 127.0.0.1 with per-run ports, passwords and
/// directories, as the server user. The harness observes repmgr and never promotes on its own.
/// </summary>
public sealed class RepmgrCluster : IManagedCluster
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly string[] WorkParts = ["nodes", "repmgr"];
    private readonly SemaphoreSlim ownerFileLock = new(1, 1);
    private readonly ILinkRouter router;
    private RepmgrServer? witness;
    private string? lastLeader;
    private int disposed;

    private RepmgrCluster(ClusterSpec spec, RepmgrClusterOptions options, PgBinaries binaries, ServerUser user, string runId, string workDirectory)
    {
        Spec = spec;
        Options = options;
        Binaries = binaries;
        User = user;
        RunId = runId;
        WorkDirectory = workDirectory;
        LogDirectory = options.LogDirectory ?? Path.Combine(workDirectory, "logs");
        PassFile = Path.Combine(workDirectory, "repmgr", "pgpass");
        router = options.LinkRouter ?? new DirectLinkRouter();
        Secrets = RunSecrets.Generate();
        Nodes = [.. spec.NodeNames.Select((name, i) => new RepmgrNode(this, new RepmgrServer(Member(i + 1, name), user, binaries, PassFile, LogDirectory)))];
        Observer = new ManagerObserver([.. Nodes.Cast<IClusterNode>()], ReadViewAsync, options.ObserveInterval);
    }

    public ClusterSpec Spec { get; }

    public PgBinaries Binaries { get; }

    public string RunId { get; }

    /// <summary>The run's work directory: owner.json, nodes/&lt;node&gt; (data), repmgr/&lt;node&gt; (repmgr.conf, postgresql.conf, pg_service.conf, pid file), repmgr/pgpass.</summary>
    public string WorkDirectory { get; }

    public string LogDirectory { get; }

    /// <inheritdoc/>
    public string Backend => "local";

    /// <summary>The manager: <c>repmgr</c>.</summary>
#pragma warning disable CA1822 // An instance property: the provider seam reads it through the cluster it made.
    public string Manager => ClusterAxisNames.Repmgr;
#pragma warning restore CA1822

    /// <inheritdoc/>
    public string ServerVersion => Binaries.Version;

    public RepmgrSettings Settings => Options.Settings;

    /// <summary>All nodes, in spec order; names never change, roles do.</summary>
    public ImmutableArray<RepmgrNode> Nodes { get; }

    /// <summary>What the harness sees of repmgr: role changes, the latest observation.</summary>
    public ManagerObserver Observer { get; }

    /// <inheritdoc/>
    public event Action<RoleChange>? RoleChanged
    {
        add => Observer.RoleChanged += value;
        remove => Observer.RoleChanged -= value;
    }

    /// <inheritdoc/>
    public ManagerView? LatestView => Observer.LatestView;

    /// <summary>The version of repmgr (filled in by <see cref="RepmgrManager"/>; empty for a cluster started directly).</summary>
    public ImmutableSortedDictionary<string, string> Versions { get; internal set; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <inheritdoc/>
    public ManagerFacts Facts => new(Manager, Versions, Settings.Describe());

    /// <summary><c>witness</c> when the cluster has one.</summary>
    public ImmutableArray<string> Auxiliaries => witness is null ? [] : [RepmgrLinkNames.WitnessName];

    /// <summary>Whether the witness's server runs; false without a witness.</summary>
    public bool WitnessIsRunning => witness?.PostmasterPid is not null;

    /// <inheritdoc/>
    public IEnumerable<string> ManagerLogFiles =>
        Nodes.SelectMany(n => new[] { n.Server.Repmgrd.LogFile, n.Server.CommandLog })
            .Concat(witness is null ? [] : [witness.Repmgrd.LogFile, witness.CommandLog, witness.Member.ServerLog])
            .Where(File.Exists);

    /// <summary>The leader repmgr lists now, or the last one it listed.</summary>
    public RepmgrNode Primary => this[Observer.LatestView?.Leader is { } leader && leader != RepmgrLinkNames.WitnessName ? leader : lastLeader ?? Spec.NodeNames[0]];

    ImmutableArray<IClusterNode> IReplicatedCluster.Nodes => [.. Nodes];

    IClusterNode IReplicatedCluster.Primary => Primary;

    IClusterNode IReplicatedCluster.this[string name] => this[name];

    internal RepmgrClusterOptions Options { get; }

    internal ServerUser User { get; }

    private string PassFile { get; }

    private RunSecrets Secrets { get; }

    public RepmgrNode this[string name] =>
        Nodes.FirstOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"no node named {name}; nodes are {string.Join(", ", Nodes.Select(n => n.Name))}");

    /// <summary>Brings the cluster up; returns once every replica streams from the primary and every repmgrd monitors.</summary>
    public static async Task<RepmgrCluster> StartAsync(ClusterSpec spec, RepmgrClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new RepmgrClusterOptions();
        options.Settings.Validate();
        var binaries = await PgBinariesLocator.LocateAsync(spec.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (RepmgrManager.MissingBinary(binaries) is { } missing)
        {
            throw new ClusterConfigurationException(missing);
        }

        var user = ServerUser.Resolve(options.ServerUserName);
        await ClusterSweeper.SweepAsync(options.WorkRoot, cancellationToken).ConfigureAwait(false);
        var runId = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid():N}"[..24];
        var workDirectory = Path.Combine(options.WorkRoot, "runs", runId);
        ServerDirectory.Create(workDirectory);
        var cluster = new RepmgrCluster(spec, options, binaries, user, runId, workDirectory);
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

    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        ConvergenceWaiter.WaitAsync(this, deadline, cancellationToken);

    /// <summary>SIGKILL of the witness's repmgrd and server: it stays down until <see cref="StartAuxiliaryAsync"/>.</summary>
    public async Task KillAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = Witness(name);
        await server.Repmgrd.KillAsync(cancellationToken).ConfigureAwait(false);
        if (server.PostmasterPid is { } pid)
        {
            await PostmasterSignals.KillAsync(pid, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGSTOP of the witness's repmgrd and server with its children.</summary>
    public Task PauseAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = Witness(name);
        server.Repmgrd.Pause();
        if (server.PostmasterPid is { } pid)
        {
            PostmasterSignals.SignalAll(pid, NativeMethods.SigStop);
        }

        return Task.CompletedTask;
    }

    public Task ResumeAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = Witness(name);
        if (server.PostmasterPid is { } pid)
        {
            PostmasterSignals.SignalAll(pid, NativeMethods.SigCont);
        }

        server.Repmgrd.Resume();
        return Task.CompletedTask;
    }

    /// <summary>Starts the witness's server (crash recovery: it is a primary of its own) and repmgrd again; nothing for what runs.</summary>
    public async Task StartAuxiliaryAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = Witness(name);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        if (!server.Repmgrd.IsRunning)
        {
            server.Repmgrd.Start();
        }

        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Not available: <c>repmgr standby switchover</c> runs its old-primary side over SSH (it asked for SSH to the old
    /// primary even with <c>--dry-run</c> here), and ChaosPg runs no SSH server. Fail the leader over instead.
    /// </summary>
    public Task SwitchoverAsync(string? candidate, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("switchover is not available with manager repmgr: repmgr standby switchover runs the old primary's side over SSH, which ChaosPg does not set up; use fault: kill on the leader, or action: failover once it is down");

    /// <summary>
    /// <c>repmgr standby promote</c> on <paramref name="candidate"/>; returns once repmgr lists it as leader and it
    /// accepts writes. repmgr refuses while another primary answers (its ERROR is the message); the other standbys'
    /// repmgrds then follow the new primary on their own.
    /// </summary>
    public async Task FailoverAsync(string candidate, CancellationToken cancellationToken = default)
    {
        var node = this[candidate];
        await node.Server.RepmgrAsync(["standby", "promote"], cancellationToken).ConfigureAwait(false);
        if (!await Observer.WaitForAsync(
                o => o.Cluster?.Leader == candidate && o.Servers.TryGetValue(candidate, out var server) && !server.InRecovery,
                Options.ReadyTimeout,
                cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"repmgr did not list {candidate} as the primary within {Options.ReadyTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary><c>repmgr service pause</c> (or unpause), which sets every reachable repmgrd's flag; returns once the view says so.</summary>
    public async Task SetMaintenanceAsync(bool paused, CancellationToken cancellationToken = default)
    {
        var from = Primary.IsRunning ? Primary : Nodes.FirstOrDefault(n => n.IsRunning) ?? Primary;
        await from.Server.RepmgrAsync(["service", paused ? "pause" : "unpause"], cancellationToken).ConfigureAwait(false);
        if (!await Observer.WaitForAsync(o => o.Cluster?.Paused == paused, Options.ReadyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"repmgrd did not report pause {(paused ? "on" : "off")} within {Options.ReadyTimeout.TotalSeconds:0}s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await Observer.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(Nodes.Select(n => n.Server).Concat(witness is null ? [] : [witness]).Select(s => s.TerminateAsync())).ConfigureAwait(false);
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

        ownerFileLock.Dispose();
    }

    internal string ConnectionString(LinkEndpoint endpoint, DatabaseRole role) => Secrets.ConnectionString(endpoint, role);

    /// <summary>The leader while repmgr lists <paramref name="node"/> as an active standby; null otherwise.</summary>
    internal RepmgrNode? UpstreamOf(RepmgrNode node)
    {
        var view = Observer.LatestView;
        return view?[node.Name] is { IsLeader: false, State: "active" } && view.Leader is { } leader && leader != node.Name ? this[leader] : null;
    }

    /// <summary>See <see cref="RepmgrNode.RejoinAsync"/>.</summary>
    internal async Task RejoinAsync(RepmgrNode node, CancellationToken cancellationToken)
    {
        var leader = Primary;
        if (leader == node)
        {
            throw new InvalidOperationException($"{node.Name} is the leader repmgr lists; there is nothing to rejoin it to");
        }

        if (!node.IsRunning && (await node.Server.ControlStateAsync(cancellationToken).ConfigureAwait(false)).Contains("recovery", StringComparison.Ordinal))
        {
            // A standby's server: it starts as a standby and streams again.
            await node.Server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (node.IsRunning)
            {
                await node.Server.StopAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await node.Server.ControlStateAsync(cancellationToken).ConfigureAwait(false) == "in production")
            {
                // Crashed: repmgr node rejoin skips pg_rewind for a server that was not shut down cleanly, and fails.
                await node.Server.RecoverOfflineAsync(cancellationToken).ConfigureAwait(false);
            }

            // CHECKPOINT on the leader first: pg_rewind reads the source's timeline from its control file.
            var connection = await NodeSql.OpenAsync(leader, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await NodeSql.ExecuteAsync(connection, "CHECKPOINT", cancellationToken).ConfigureAwait(false);
            }

            await node.Server.RepmgrAsync(["node", "rejoin", "-d", RepmgrConfig.ConnInfo(leader.Name), "--force-rewind"], cancellationToken).ConfigureAwait(false);
        }

        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        await node.StartManagerAsync(cancellationToken).ConfigureAwait(false);
        await NodeSql.WaitForStreamingAsync(ReplicationMode.Async, leader, [node.Name], Options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        await Observer.WaitForAsync(o => o.Cluster?[node.Name] is { IsLeader: false, State: "active", Role: "standby" }, Options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
    }

    internal async Task RecordOwnerAsync(CancellationToken cancellationToken)
    {
        var self = Environment.ProcessId;
        var servers = Nodes.Select(n => n.Server).Concat(witness is null ? [] : [witness]).ToList();
        var owner = new RunOwnerFile(self, ProcessTable.StartTime(self) ?? 0, WorkDirectory, [.. servers.Select(s => new RunOwnerNode(s.Member.Name, s.Member.DataDirectory, s.PostmasterPid))])
        {
            Processes = [.. servers.Where(s => s.Repmgrd.Pid is not null).Select(s => new RunOwnerProcess(s.Repmgrd.Name, s.Repmgrd.Pid!.Value, s.Repmgrd.StartTime))],
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

    private RepmgrMember Member(int id, string name) =>
        new(id, name, Path.Combine(WorkDirectory, "nodes", name), Path.Combine(WorkDirectory, "repmgr", name), Toxiproxy.LoopbackPorts.Free(), Path.Combine(LogDirectory, name + ".log"));

    private RepmgrServer Witness(string name) =>
        name == RepmgrLinkNames.WitnessName && witness is not null
            ? witness
            : throw new KeyNotFoundException($"no manager process named {name}; this cluster has {(witness is null ? "none (set witness: true for a witness)" : RepmgrLinkNames.WitnessName)}");

    private async Task BringUpAsync(CancellationToken cancellationToken)
    {
        // Written before anything starts, so a harness killed at any point leaves a run the sweeper can find.
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        ServerDirectory.Create(LogDirectory);
        foreach (var part in WorkParts)
        {
            PrivateFiles.NewDirectory(Path.Combine(WorkDirectory, part), User);
        }

        await PrivateFiles.WriteAsync(PassFile, Secrets.PassFile(), User, cancellationToken).ConfigureAwait(false);
        if (Settings.Witness)
        {
            witness = new RepmgrServer(Member(Nodes.Length + 1, RepmgrLinkNames.WitnessName), User, Binaries, PassFile, LogDirectory);
        }

        // Links first: every member's service file names the others by the proxies it must use.
        var peers = new Dictionary<string, int>(StringComparer.Ordinal);
        var toWitness = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in Nodes)
        {
            peers[node.Name] = (await router.RouteAsync(RepmgrLinkNames.Peers(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false)).Port;
            node.ClientEndpoint = await router.RouteAsync(LinkNames.Client(node.Name), node.Endpoint, cancellationToken).ConfigureAwait(false);
            if (witness is not null)
            {
                toWitness[node.Name] = (await router.RouteAsync(RepmgrLinkNames.Witness(node.Name), witness.Member.Endpoint, cancellationToken).ConfigureAwait(false)).Port;
            }
        }

        foreach (var server in Nodes.Select(n => n.Server).Concat(witness is null ? [] : [witness]))
        {
            var member = server.Member;
            PrivateFiles.NewDirectory(member.ConfigDirectory, User);
            foreach (var log in new[] { member.ServerLog, server.CommandLog })
            {
                await File.AppendAllTextAsync(log, string.Empty, cancellationToken).ConfigureAwait(false);
                User.Own(log);
            }

            var ports = Nodes.Select(n => (n.Name, n.Name == member.Name ? n.Port : peers[n.Name]));
            if (witness is not null)
            {
                ports = ports.Append((RepmgrLinkNames.WitnessName, member == witness.Member ? witness.Member.Port : toWitness[member.Name]));
            }

            await PrivateFiles.WriteAsync(member.ServiceFile, RepmgrConfig.ServiceFile(ports), User, cancellationToken).ConfigureAwait(false);
            await PrivateFiles.WriteAsync(member.RepmgrConf, RepmgrConfig.RepmgrConf(member, Settings, Binaries), User, cancellationToken).ConfigureAwait(false);
            // The witness replicates nothing and waits for no standby.
            var spec = member == witness?.Member ? ClusterSpec.CreateBuilder().WithPgBinDirectory(Binaries.BinDirectory).Build() : Spec;
            await PrivateFiles.WriteAsync(member.PostgresqlConf, RepmgrConfig.PostgresqlConf(spec, member), User, cancellationToken).ConfigureAwait(false);
        }

        var primary = Nodes[0];
        var template = await TemplateCache.EnsureAsync(Binaries, User, Options.WorkRoot, cancellationToken: cancellationToken).ConfigureAwait(false);
        await TemplateCache.CopyAsync(template, primary.DataDirectory, cancellationToken).ConfigureAwait(false);
        await PrivateFiles.WriteAsync(Path.Combine(primary.DataDirectory, "pg_hba.conf"), NodeConfig.PgHbaConf(), User, cancellationToken).ConfigureAwait(false);
        await TemplateCache.RunSingleUserAsync(primary.Name, Binaries, User, primary.DataDirectory, Secrets.SetPasswordsSql(), cancellationToken).ConfigureAwait(false);
        await primary.Server.StartAsync(cancellationToken).ConfigureAwait(false);
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        await primary.Server.RepmgrAsync(["primary", "register"], cancellationToken).ConfigureAwait(false);

        var witnessSetUp = witness is null ? Task.CompletedTask : SetUpWitnessAsync(witness, peers[primary.Name], cancellationToken);
        foreach (var replica in Nodes.Skip(1))
        {
            // Through the primary's peers link: the base backup and the WAL stream repmgr configures both cross the proxy.
            await replica.Server.RepmgrAsync(
                ["-h", "127.0.0.1", "-p", peers[primary.Name].ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", ClusterRoles.Superuser, "-d", ClusterRoles.AppDatabase, "standby", "clone", "--fast-checkpoint"],
                cancellationToken).ConfigureAwait(false);
            await replica.Server.StartAsync(cancellationToken).ConfigureAwait(false);
            await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
            await replica.Server.RepmgrAsync(["standby", "register"], cancellationToken).ConfigureAwait(false);
        }

        await witnessSetUp.ConfigureAwait(false);
        await NodeSql.WaitForStreamingAsync(Spec, primary, [.. Nodes.Skip(1).Select(n => n.Name)], Options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        foreach (var server in Nodes.Select(n => n.Server).Concat(witness is null ? [] : [witness]))
        {
            server.Repmgrd.Start();
        }

        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        await WaitMonitoringAsync(cancellationToken).ConfigureAwait(false);
        Observer.RoleChanged += change =>
        {
            if (change.Kind is RoleChangeKind.LeaderElected or RoleChangeKind.LeaderChanged && change.Node is { } leader)
            {
                lastLeader = leader;
            }
        };
        lastLeader = Observer.LatestView?.Leader ?? primary.Name;
        Observer.Start();
    }

    /// <summary>The witness: its own initdb (repmgr refuses a witness with the cluster's system identifier), the superuser's password, the database, then <c>repmgr witness register</c> against the primary through its peers link.</summary>
    private async Task SetUpWitnessAsync(RepmgrServer server, int primaryPeersPort, CancellationToken cancellationToken)
    {
        var member = server.Member;
        var initdb = await User.RunAsync(Binaries.Tool("initdb"), ["--pgdata", member.DataDirectory, .. TemplateCache.InitDbArguments], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (initdb.ExitCode != 0)
        {
            throw new NodeStartException($"witness: initdb failed (exit {initdb.ExitCode}): {RepmgrServer.Lines(initdb.StandardError + initdb.StandardOutput)}");
        }

        await PrivateFiles.WriteAsync(Path.Combine(member.DataDirectory, "pg_hba.conf"), NodeConfig.PgHbaConf(), User, cancellationToken).ConfigureAwait(false);
        await TemplateCache.RunSingleUserAsync(
            member.Name,
            Binaries,
            User,
            member.DataDirectory,
            $"ALTER ROLE {ClusterRoles.Superuser} PASSWORD '{ScramVerifier.Compute(Secrets.Superuser)}';\nCREATE DATABASE {ClusterRoles.AppDatabase};\n",
            cancellationToken).ConfigureAwait(false);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        await RecordOwnerAsync(cancellationToken).ConfigureAwait(false);
        await server.RepmgrAsync(
            ["-h", "127.0.0.1", "-p", primaryPeersPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", ClusterRoles.Superuser, "-d", ClusterRoles.AppDatabase, "witness", "register"],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every repmgrd has registered itself with its server (<c>repmgr.repmgrd_is_running()</c>) and the view names the primary.</summary>
    private async Task WaitMonitoringAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var servers = Nodes.Select(n => (n.Server, (IClusterNode?)n)).ToList();
        var last = "no answer";
        while (true)
        {
            var waiting = new List<string>();
            foreach (var (server, node) in servers)
            {
                if (server.Repmgrd.HasExited)
                {
                    throw new NodeStartException($"{server.Repmgrd.Name} exited with code {server.Repmgrd.ExitCode}; last lines of {server.Repmgrd.LogFile}:\n{server.Repmgrd.LogTail()}");
                }

                try
                {
                    var connection = await NodeSql.OpenAsync(node!, cancellationToken).ConfigureAwait(false);
                    await using (connection.ConfigureAwait(false))
                    {
                        if (!await NodeSql.ScalarAsync<bool>(connection, "SELECT repmgr.repmgrd_is_running()", cancellationToken).ConfigureAwait(false))
                        {
                            waiting.Add(server.Member.Name);
                        }
                    }
                }
                catch (NpgsqlException e)
                {
                    waiting.Add($"{server.Member.Name} ({e.Message})");
                }
            }

            var observation = await Observer.ObserveAsync(cancellationToken).ConfigureAwait(false);
            if (waiting.Count == 0 && observation.Cluster?.Leader == Nodes[0].Name && witness?.Repmgrd.HasExited != true)
            {
                return;
            }

            last = waiting.Count > 0 ? $"repmgrd not yet running on {string.Join(", ", waiting)}" : $"leader {observation.Cluster?.Leader ?? "none"}";
            if (stopwatch.Elapsed > Options.ReadyTimeout)
            {
                throw new NodeStartException($"repmgrd did not start monitoring within {Options.ReadyTimeout.TotalSeconds:0}s (last seen: {last})");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>repmgr's view: every node's server asked at once (1 s each), the answer chosen by <see cref="RepmgrView.Choose"/>.</summary>
    private async Task<ManagerView?> ReadViewAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(Nodes.Select(n => TryAnswerAsync(n, cancellationToken))).ConfigureAwait(false);
        return RepmgrView.Choose(answers.OfType<RepmgrAnswer>());
    }

    private static async Task<RepmgrAnswer?> TryAnswerAsync(RepmgrNode node, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ManagerObserver.AnswerTimeout);
        try
        {
            var connection = await NodeSql.OpenAsync(node, limit.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = new NpgsqlCommand(
                    """
                    SELECT pg_is_in_recovery(),
                           CASE WHEN pg_is_in_recovery() THEN 0 ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
                           repmgr.repmgrd_is_paused(),
                           n.node_name, n.type, n.active, u.node_name
                      FROM repmgr.nodes n LEFT JOIN repmgr.nodes u ON u.node_id = n.upstream_node_id
                    """,
                    connection);
                var reader = await command.ExecuteReaderAsync(limit.Token).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var rows = ImmutableArray.CreateBuilder<RepmgrNodeRow>();
                    (bool InRecovery, int Timeline, bool Paused) server = default;
                    while (await reader.ReadAsync(limit.Token).ConfigureAwait(false))
                    {
                        server = (reader.GetBoolean(0), reader.GetInt32(1), reader.GetBoolean(2));
                        rows.Add(new RepmgrNodeRow(reader.GetString(3), reader.GetString(4), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
                    }

                    return rows.Count == 0 ? null : new RepmgrAnswer(node.Name, server.InRecovery, server.Timeline, server.Paused, rows.ToImmutable());
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
