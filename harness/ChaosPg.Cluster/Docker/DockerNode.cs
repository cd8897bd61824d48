using System.Globalization;
using System.Text;
using ChaosPg.Cluster.Local;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Volumes;
using Npgsql;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// One node of a <see cref="DockerCluster"/>: a container of the image's template (<see cref="DockerTemplate"/>) whose
/// data directory is in its own filesystem, on the host's disk, where fsync is real; it goes with the container.
/// Kill is SIGKILL through the Docker API, pause is the cgroup freezer (docker pause), stop is SIGINT (a fast
/// shutdown; the default SIGTERM would be a smart one that waits for clients). Isolation disconnects the container from
/// the cluster's network once it is on the run's admin network, which then publishes its port: the harness still
/// reaches it. A restarted container gets a new host port, so the harness's endpoint is read again after every start.
/// In the kernel mode no port is published: the harness reaches the container's address on the admin network, which
/// it joins at start, and the workload its static address on the run's network; a start puts the node's kernel rules
/// back into its new namespace.
/// </summary>
public sealed class DockerNode : IClusterNode
{
    /// <summary>The image's default PGDATA (its VOLUME): where a template builder's node mounts its volume.</summary>
    internal const string DataMount = "/var/lib/postgresql/data";

    /// <summary>
    /// POSTGRES_INITDB_ARGS of a template's primary: data checksums make pg_rewind possible, as in the local backend's
    /// template.
    /// </summary>
    internal const string InitDbArguments = "--data-checksums";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private readonly DockerCluster cluster;
    private readonly int index;
    private IContainer? container;
    private IVolume? volume;

    internal DockerNode(DockerCluster cluster, string name, int index)
    {
        this.cluster = cluster;
        this.index = index;
        Name = name;
        Endpoint = new LinkEndpoint("127.0.0.1", 0);
        ClientEndpoint = Endpoint;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public LinkEndpoint Endpoint { get; private set; }

    /// <inheritdoc/>
    public LinkEndpoint ClientEndpoint { get; internal set; }

    /// <summary>The node this one streams WAL from; null for a primary.</summary>
    public DockerNode? Upstream { get; private set; }

    IClusterNode? IClusterNode.Upstream => Upstream;

    /// <inheritdoc/>
    public bool IsRunning { get; private set; }

    /// <summary>The container's id, once created.</summary>
    public string? ContainerId => container?.Id;

    /// <summary>
    /// The data directory inside the container: the template's primary or replica directory. In a template builder,
    /// made by the init scripts, on the volume: a node made by initdb keeps the image's default PGDATA, and the
    /// replica entrypoint clones into a subdirectory of the volume (so an interrupted clone can be redone).
    /// </summary>
    internal string DataDirectory => cluster.Template is null
        ? index == 0 ? DataMount : DataMount + "/pgdata"
        : index == 0 ? DockerTemplate.PrimaryDirectory : DockerTemplate.ReplicaDirectory;

    /// <summary>A template builder's node's data volume, once created.</summary>
    internal string VolumeName => volume?.Name ?? throw new InvalidOperationException($"{Name} has no volume");

    /// <inheritdoc/>
    public string GetConnectionString(DatabaseRole role) => cluster.ConnectionString(Endpoint, role);

    /// <inheritdoc/>
    public string GetClientConnectionString(DatabaseRole role) => cluster.ConnectionString(ClientEndpoint, role);

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var id = RequireContainer();
        await cluster.Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
        // A new namespace, without the rules the old one had: back before the server is up to see traffic.
        await cluster.ReapplyKernelRulesAsync(this, cancellationToken).ConfigureAwait(false);
        await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsContainerRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            IsRunning = false;
            return;
        }

        await SignalAndWaitExitAsync("SIGINT", cluster.Options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task KillAsync(CancellationToken cancellationToken = default) =>
        SignalAndWaitExitAsync("SIGKILL", TimeSpan.FromSeconds(30), cancellationToken);

    /// <inheritdoc/>
    public async Task PauseAsync(CancellationToken cancellationToken = default)
    {
        var state = await StateAsync(cancellationToken).ConfigureAwait(false);
        if (state is not { Running: true })
        {
            throw new InvalidOperationException($"{Name} is not running");
        }

        if (!state.Paused)
        {
            await cluster.Client.Containers.PauseContainerAsync(RequireContainer(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (await StateAsync(cancellationToken).ConfigureAwait(false) is { Paused: true })
        {
            await cluster.Client.Containers.UnpauseContainerAsync(RequireContainer(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public bool CanIsolate => true;

    /// <inheritdoc/>
    public async Task IsolateAsync(CancellationToken cancellationToken = default)
    {
        if (await IsOnNetworkAsync(cluster.Network!.Name, cancellationToken).ConfigureAwait(false))
        {
            // First onto the admin network, which takes over the published port, so the harness still reaches the node.
            var admin = await cluster.AdminNetworkAsync(cancellationToken).ConfigureAwait(false);
            if (!await IsOnNetworkAsync(admin.Name, cancellationToken).ConfigureAwait(false))
            {
                await cluster.Client.Networks.ConnectNetworkAsync(admin.Name, new NetworkConnectParameters { Container = RequireContainer() }, cancellationToken).ConfigureAwait(false);
            }

            var parameters = new NetworkDisconnectParameters { Container = RequireContainer(), Force = true };
            await cluster.Client.Networks.DisconnectNetworkAsync(cluster.Network!.Name, parameters, cancellationToken).ConfigureAwait(false);
            await RefreshEndpointAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsOnNetworkAsync(cluster.Network!.Name, cancellationToken).ConfigureAwait(false))
        {
            // The alias is the node's name on the network: links and primary_conninfo resolve it.
            var parameters = new NetworkConnectParameters
            {
                Container = RequireContainer(),
                EndpointConfig = new EndpointSettings { Aliases = [Name], IPAMConfig = cluster.Kernel is { } kernel ? PeerAddress(kernel) : null },
            };
            await cluster.Client.Networks.ConnectNetworkAsync(cluster.Network!.Name, parameters, cancellationToken).ConfigureAwait(false);
            await RefreshEndpointAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
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
            await node.FollowAsync(this, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task RejoinAsync(CancellationToken cancellationToken = default)
    {
        var primary = cluster.Primary;
        await NodeSql.PrepareRewindAsync(this, primary, cancellationToken).ConfigureAwait(false);
        await NodeSql.CreateSlotAsync(primary, NodeConfig.SlotName(Name), cancellationToken).ConfigureAwait(false);
        var upstream = await cluster.RouteWalAsync(this, primary, cancellationToken).ConfigureAwait(false);
        await RequestRewindAsync(primary, upstream, cancellationToken).ConfigureAwait(false);
        Upstream = primary;
        await StartAsync(cancellationToken).ConfigureAwait(false);
        // Once rejoined this node is one of the primary's standbys: the primary now also waits for it (if the spec says so).
        var mode = await NodeSql.ConfigureSynchronousStandbysAsync(
            cluster.Spec, primary, cluster.Nodes.Where(n => n.Upstream == primary).Select(n => n.Name), cancellationToken).ConfigureAwait(false);
        await NodeSql.WaitForStreamingAsync(mode, primary, [Name], cluster.Options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        // Slots this node had as a primary survive pg_rewind; left alone they would pin old WAL here for good.
        await NodeSql.DropInactiveSlotsAsync(this, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => NodeSql.StatusAsync(this, cancellationToken);

    /// <summary>Publishes 127.0.0.1 only: Testcontainers has no host-IP option, so the create parameters are edited.</summary>
    internal static void BindToLoopback(CreateContainerParameters parameters)
    {
        foreach (var bindings in parameters.HostConfig?.PortBindings?.Values ?? [])
        {
            foreach (var binding in bindings)
            {
                binding.HostIP = "127.0.0.1";
            }
        }
    }

    /// <summary>The host endpoint a container port is published on now (it changes when the container restarts).</summary>
    internal static async Task<LinkEndpoint> PublishedEndpointAsync(DockerClient client, string containerId, int port, CancellationToken cancellationToken)
    {
        var inspect = await client.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
        var key = string.Create(CultureInfo.InvariantCulture, $"{port}/tcp");
        if (inspect.NetworkSettings?.Ports is { } ports && ports.TryGetValue(key, out var bindings) && bindings is { Count: > 0 }
            && int.TryParse(bindings[0].HostPort, CultureInfo.InvariantCulture, out var hostPort))
        {
            return new LinkEndpoint("127.0.0.1", hostPort);
        }

        throw new InvalidOperationException($"container {containerId[..12]} publishes no host port for {key}");
    }

    /// <summary>
    /// Creates and starts the node's container. From the cluster's template: a primary gets this run's passwords and
    /// its replicas' slots and is ready on return; a replica waits for <see cref="StreamFromAsync"/>. With no template
    /// (a template builder), on a volume: the primary by initdb and the init scripts, a replica by pg_basebackup
    /// through its WAL link; both are ready on return.
    /// </summary>
    internal async Task CreateAsync(DockerNode? upstream, CancellationToken cancellationToken)
    {
        var secrets = cluster.Secrets;
        var template = cluster.Template;
        var builder = new ContainerBuilder(template?.Image ?? cluster.Options.PgImage)
            .WithLogger(cluster.Options.Logger)
            .WithName($"chaospg-{cluster.RunId}-{Name}")
            .WithLabel(cluster.Labels)
            .WithLabel(DockerLabels.Node, Name)
            .WithCleanUp(false)
            .WithNetwork(cluster.Network)
            .WithNetworkAliases(Name)
            .WithEnvironment("POSTGRES_USER", ClusterRoles.Superuser)
            .WithEnvironment("POSTGRES_PASSWORD", secrets.Superuser)
            .WithEnvironment("POSTGRES_DB", ClusterRoles.AppDatabase)
            .WithEnvironment("REPLICATION_USER", ClusterRoles.Replication)
            .WithEnvironment("REPLICATION_PASSWORD", secrets.Replication)
            .WithEnvironment("PGDATA", DataDirectory)
            .WithCommand(cluster.ServerCommand(Name));
        // The kernel mode publishes no port: the harness and the workload reach the container's addresses directly,
        // with no docker-proxy relay in between, and its address on the run's network is the one the rules name.
        builder = cluster.Kernel is { } kernel
            ? builder.WithCreateParameterModifier(parameters => parameters.NetworkingConfig!.EndpointsConfig[cluster.Network!.Name].IPAMConfig = PeerAddress(kernel))
            : builder.WithPortBinding(DockerCluster.PgPort, assignRandomHostPort: true).WithCreateParameterModifier(BindToLoopback);
        if (template is not null)
        {
            builder = builder
                // Nothing at the image's VOLUME path, so that Docker adds no anonymous volume for it.
                .WithTmpfsMount(DataMount)
                // Inline (sh -c SCRIPT NAME ARGS...), which saves copying a file into the container before it starts.
                .WithEntrypoint("/bin/sh", "-c", DockerInitScripts.TemplateEntrypoint, "template-entrypoint.sh");
        }
        else
        {
            volume = new VolumeBuilder()
                .WithLogger(cluster.Options.Logger)
                .WithName($"chaospg-{cluster.RunId}-{Name}")
                .WithLabel(cluster.Labels)
                .WithCleanUp(false)
                .Build();
            await volume.CreateAsync(cancellationToken).ConfigureAwait(false);
            builder = builder.WithVolumeMount(volume, DataMount);
            if (upstream is null)
            {
                builder = builder
                    .WithEnvironment("POSTGRES_INITDB_ARGS", InitDbArguments)
                    .WithEnvironment("REPLICATION_SLOTS", string.Join(',', cluster.Nodes.Where(n => n != this).Select(n => NodeConfig.SlotName(n.Name))))
                    .WithResourceMapping(DockerInitScripts.PrimaryReplication, "/docker-entrypoint-initdb.d/10-replication.sh", fileMode: Unix.FileMode755)
                    .WithResourceMapping(Encoding.UTF8.GetBytes(InitSql(ScramVerifier.Compute(secrets.App))), "/docker-entrypoint-initdb.d/20-chaospg.sql", fileMode: Unix.FileMode644);
            }
            else
            {
                var wal = await cluster.RouteWalAsync(this, upstream, cancellationToken).ConfigureAwait(false);
                Upstream = upstream;
                builder = builder
                    .WithEntrypoint("/chaospg/replica-entrypoint.sh")
                    .WithEnvironment("PRIMARY_HOST", wal.Host)
                    .WithEnvironment("PRIMARY_PORT", wal.Port.ToString(CultureInfo.InvariantCulture))
                    .WithEnvironment("REPLICATION_SLOT", NodeConfig.SlotName(Name))
                    .WithResourceMapping(DockerInitScripts.ReplicaEntrypoint, "/chaospg/replica-entrypoint.sh", fileMode: Unix.FileMode755);
            }
        }

        container = builder.Build();
        await container.StartAsync(cancellationToken).ConfigureAwait(false);
        if (cluster.Kernel is not null)
        {
            await cluster.Client.Networks.ConnectNetworkAsync(cluster.AdminNetwork!.Name, new NetworkConnectParameters { Container = container.Id }, cancellationToken).ConfigureAwait(false);
        }

        if (template is null)
        {
            await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (upstream is null)
        {
            // The template's passwords: the harness logs in with the template's once, to set this run's.
            await WaitReadyAsync(template.SuperuserPassword, cancellationToken).ConfigureAwait(false);
            await TakeOverTemplateAsync(template.SuperuserPassword, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Routes the WAL link of a replica started from the template to <paramref name="upstream"/> and hands it its
    /// streaming settings through that link; once <paramref name="upstreamReady"/> is done (the upstream has this run's
    /// passwords), tells it to start (SIGUSR1 to template-entrypoint.sh), and waits until it accepts this run's password:
    /// that is, until it has replayed them from its primary.
    /// </summary>
    internal async Task StreamFromAsync(DockerNode upstream, Task upstreamReady, CancellationToken cancellationToken)
    {
        var wal = await cluster.RouteWalAsync(this, upstream, cancellationToken).ConfigureAwait(false);
        Upstream = upstream;
        await HandOverAsync([("standby.conf", StandbySettings(wal))], cancellationToken).ConfigureAwait(false);
        await upstreamReady.ConfigureAwait(false);
        await cluster.Client.Containers.KillContainerAsync(RequireContainer(), new ContainerKillParameters { Signal = "SIGUSR1" }, cancellationToken).ConfigureAwait(false);
        await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points this replica's WAL stream at <paramref name="upstream"/> through its link, and reloads it.</summary>
    internal async Task FollowAsync(DockerNode upstream, CancellationToken cancellationToken)
    {
        await NodeSql.CreateSlotAsync(upstream, NodeConfig.SlotName(Name), cancellationToken).ConfigureAwait(false);
        var wal = await cluster.RouteWalAsync(this, upstream, cancellationToken).ConfigureAwait(false);
        var connection = await NodeSql.OpenAsync(this, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // ALTER SYSTEM takes no parameters; the values are literals, quoted.
            await NodeSql.ExecuteAsync(connection, $"ALTER SYSTEM SET primary_conninfo = {Literal(PrimaryConnInfo(wal))}", cancellationToken).ConfigureAwait(false);
            await NodeSql.ExecuteAsync(connection, $"ALTER SYSTEM SET primary_slot_name = {Literal(NodeConfig.SlotName(Name))}", cancellationToken).ConfigureAwait(false);
            await NodeSql.ExecuteAsync(connection, "SELECT pg_reload_conf()", cancellationToken).ConfigureAwait(false);
        }

        Upstream = upstream;
    }

    /// <summary>Kills the container (no shutdown to wait for), saves its log and removes it.</summary>
    internal async Task TerminateAsync(CancellationToken cancellationToken)
    {
        if (container is null)
        {
            return;
        }

        try
        {
            if (await IsContainerRunningAsync(cancellationToken).ConfigureAwait(false))
            {
                await ResumeAsync(cancellationToken).ConfigureAwait(false);
                await cluster.Client.Containers.KillContainerAsync(container.Id, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DockerApiException)
        {
            // Already gone; disposal below removes what is left.
        }

        await cluster.SaveLogsAsync(container, Name, cancellationToken).ConfigureAwait(false);
        await container.DisposeAsync().ConfigureAwait(false);
        container = null;
        IsRunning = false;
    }

    internal async Task RemoveVolumeAsync(CancellationToken cancellationToken)
    {
        if (volume is not null)
        {
            await volume.DeleteAsync(cancellationToken).ConfigureAwait(false);
            await volume.DisposeAsync().ConfigureAwait(false);
            volume = null;
        }
    }

    // wal_keep_size also goes into postgresql.auto.conf (it is on the command line too): pg_rewind runs crash
    // recovery in single-user mode with none of the command line, and without it the end-of-recovery checkpoint
    // recycles the WAL since the last common checkpoint that the rewind then needs.
    internal static string InitSql(string passwordVerifier) =>
        $"""
        ALTER SYSTEM SET wal_keep_size = '128MB';
        CREATE ROLE {ClusterRoles.App} WITH LOGIN PASSWORD '{passwordVerifier}';
        ALTER DATABASE {ClusterRoles.AppDatabase} OWNER TO {ClusterRoles.App};
        ALTER SCHEMA public OWNER TO {ClusterRoles.App};

        """;

    // Its static address on the kernel mode's network, which the container keeps across restarts and reconnects.
    private EndpointIPAMConfig PeerAddress(Networks.Kernel.KernelTopology kernel) => new() { IPv4Address = kernel.PeerAddress(Name) };

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The postgresql.auto.conf lines of a standby of this run streaming through <paramref name="wal"/>.</summary>
    private string StandbySettings(LinkEndpoint wal) =>
        $"primary_conninfo = {Literal(PrimaryConnInfo(wal))}\nprimary_slot_name = {Literal(NodeConfig.SlotName(Name))}";

    private string PrimaryConnInfo(LinkEndpoint wal) =>
        string.Create(CultureInfo.InvariantCulture, $"host={wal.Host} port={wal.Port} user={ClusterRoles.Replication} password={cluster.Secrets.Replication} application_name={Name} {NodeConfig.WalLinkOptions}");

    /// <summary>
    /// Asks the stopped node's container for pg_rewind from <paramref name="primary"/> at its next start, then
    /// standby.signal and the standby settings through <paramref name="wal"/> (template-entrypoint.sh): the data
    /// directory is in the container's own filesystem, so the rewind runs there, before the server starts. The rewind
    /// is the harness's, not a link's: it reaches the primary past the proxy, or in the kernel mode at its admin
    /// address, which no rule matches.
    /// </summary>
    private Task RequestRewindAsync(DockerNode primary, LinkEndpoint wal, CancellationToken cancellationToken)
    {
        var source = string.Create(
            CultureInfo.InvariantCulture,
            $"host={(cluster.Kernel is null ? primary.Name : primary.Endpoint.Host)} port={DockerCluster.PgPort} user={ClusterRoles.Superuser} password={cluster.Secrets.Superuser} dbname={ClusterRoles.AppDatabase} sslmode=disable connect_timeout=5");
        return HandOverAsync([("rewind-source", source), ("standby.conf", StandbySettings(wal))], cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="files"/> into the container's /chaospg (root's, mode 0600), where template-entrypoint.sh
    /// takes them: the Docker archive API writes into a stopped container as well as a running one.
    /// </summary>
    private async Task HandOverAsync(IEnumerable<(string Name, string Text)> files, CancellationToken cancellationToken)
    {
        var target = container ?? throw new InvalidOperationException($"{Name} has no container");
        foreach (var (name, text) in files)
        {
            await target.CopyAsync(Encoding.UTF8.GetBytes(text + "\n"), $"/chaospg/{name}", fileMode: UnixFileModes.UserRead | UnixFileModes.UserWrite, ct: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SignalAndWaitExitAsync(string signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = RequireContainer();
        if (!await IsContainerRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{Name} is not running");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        // A frozen container takes no signal but SIGKILL; a fast shutdown needs it thawed.
        if (signal != "SIGKILL")
        {
            await ResumeAsync(cancellationToken).ConfigureAwait(false);
        }

        var waiting = cluster.Client.Containers.WaitContainerAsync(id, limit.Token);
        await cluster.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, cancellationToken).ConfigureAwait(false);
        try
        {
            await waiting.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not stop within {timeout.TotalSeconds:0}s of {signal}");
        }

        IsRunning = false;
    }

    private Task WaitReadyAsync(CancellationToken cancellationToken) => WaitReadyAsync(cluster.Secrets.Superuser, cancellationToken);

    /// <summary>Waits until the server accepts the superuser with <paramref name="password"/> over TCP.</summary>
    private async Task WaitReadyAsync(string password, CancellationToken cancellationToken)
    {
        var id = RequireContainer();
        var deadline = DateTime.UtcNow + cluster.Options.ReadyTimeout;
        string last = "not started";
        while (true)
        {
            var state = await StateAsync(cancellationToken).ConfigureAwait(false);
            if (state is not { Running: true })
            {
                var (stdout, stderr) = await container!.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken).ConfigureAwait(false);
                var tail = string.Join('\n', (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
                throw new NodeStartException($"node {Name} (container {id[..12]}) exited with code {state?.ExitCode} during start; last lines of its log:\n{tail}");
            }

            try
            {
                Endpoint = await cluster.AdminEndpointAsync(id, cancellationToken).ConfigureAwait(false);
                // The entrypoint's initialization server listens on the socket only: a TCP answer is the real server.
                var connection = await OpenAsync(password, cancellationToken).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
                IsRunning = true;
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                last = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new NodeStartException($"node {Name} (container {id[..12]}) did not accept connections within {cluster.Options.ReadyTimeout.TotalSeconds:0}s (last: {last})");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives a primary started from the template this run's passwords (as SCRAM verifiers) and a slot for each of the
    /// run's replicas (the template has none), logged in with the template's password. The new slots reserve WAL from
    /// the template's shutdown checkpoint, which is where the replicas' data directories end.
    /// </summary>
    private async Task TakeOverTemplateAsync(string templatePassword, CancellationToken cancellationToken)
    {
        var slots = cluster.Nodes.Where(n => n != this)
            .Select(n => $"SELECT pg_create_physical_replication_slot({Literal(NodeConfig.SlotName(n.Name))}, true);\n");
        var connection = await OpenAsync(templatePassword, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await NodeSql.ExecuteAsync(
                connection,
                cluster.Secrets.SetPasswordsSql() + string.Concat(slots),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<NpgsqlConnection> OpenAsync(string password, CancellationToken cancellationToken) =>
        NodeSql.OpenAsync(new NpgsqlConnectionStringBuilder(GetConnectionString(DatabaseRole.Superuser)) { Password = password }.ConnectionString, cancellationToken);

    private async Task<bool> IsOnNetworkAsync(string network, CancellationToken cancellationToken)
    {
        var inspect = await cluster.Client.Containers.InspectContainerAsync(RequireContainer(), cancellationToken).ConfigureAwait(false);
        return inspect.NetworkSettings?.Networks?.ContainsKey(network) ?? false;
    }

    /// <summary>Reads the published port again: should Docker move it to another network, the harness follows.</summary>
    private async Task RefreshEndpointAsync(CancellationToken cancellationToken)
    {
        if (await IsContainerRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            Endpoint = await cluster.AdminEndpointAsync(RequireContainer(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsContainerRunningAsync(CancellationToken cancellationToken) =>
        await StateAsync(cancellationToken).ConfigureAwait(false) is { Running: true };

    private async Task<State?> StateAsync(CancellationToken cancellationToken)
    {
        if (container is null)
        {
            return null;
        }

        var inspect = await cluster.Client.Containers.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
        IsRunning = inspect.State?.Running ?? false;
        return inspect.State;
    }

    private string RequireContainer() => container?.Id ?? throw new InvalidOperationException($"{Name} has no container");
}
