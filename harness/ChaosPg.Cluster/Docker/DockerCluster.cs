using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Networks.Kernel;
using ChaosPg.Cluster.Reaping;
using ChaosPg.Toxiproxy;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// A primary and its streaming replicas as containers (Testcontainers for .NET) on a network of their own, with a
/// Toxiproxy container in front of every link: workload clients reach each node through a published proxy port, and
/// each replica streams WAL from the proxy, never straight from its primary. The nodes are set up by the compose
/// file's own init scripts (docker/init). Every container, network and volume is labelled with the run and its
/// owner, and bound to 127.0.0.1 only. Disposal writes the container logs and removes everything.
/// In the kernel network mode (<see cref="DockerClusterOptions.Kernel"/>) there is no Toxiproxy container: the run's
/// network is the topology's /24, each node has its peer address on it and streams WAL straight from its upstream's,
/// the workload connects from the host (the network's gateway) straight to a node's peer address, and the harness's
/// own connections go to each node's address on the admin network, which every node joins at start and no rule
/// matches. Link faults are iptables/tc rules in the containers' namespaces (<see cref="DockerKernelShell"/>).
/// </summary>
public sealed class DockerCluster : IReplicatedCluster
{
    /// <summary>The network alias of the Toxiproxy container.</summary>
    internal const string ProxyAlias = "toxiproxy";

    /// <summary>The port PostgreSQL listens on inside its container.</summary>
    internal const int PgPort = 5432;

    private const int ToxiproxyApiPort = 8474;
    private const string SynchronousStandbyNames = "synchronous_standby_names";

    // Client-link proxies listen on ClientPortBase + node index (published); WAL-link proxies on WalPortBase + n.
    private const int ClientPortBase = 20000;
    private const int WalPortBase = 21000;

    private readonly DockerClusterOptions options;
    private readonly ImmutableDictionary<string, string> labels;
    private readonly SemaphoreSlim adminNetworkLock = new(1, 1);
    private int disposed;

    private DockerCluster(ClusterSpec spec, DockerClusterOptions options, DockerClient client, DockerTemplate? template, RunSecrets secrets)
    {
        Spec = spec;
        this.options = options;
        Client = client;
        Template = template;
        RunId = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid():N}"[..24];
        labels = DockerLabels.For(RunId).ToImmutableDictionary(StringComparer.Ordinal);
        Secrets = secrets;
        Reaper = options.Reaper ?? RunReaper.Start(
            RunReaper.DefaultDirectory, RunId, options.LogDirectory is { } logs ? Path.Combine(logs, "reaper.log") : null);
        Nodes = [.. spec.NodeNames.Select((name, index) => new DockerNode(this, name, index))];
        Primary = Nodes[0];
    }

    /// <inheritdoc/>
    public ClusterSpec Spec { get; }

    /// <inheritdoc/>
    public string Backend => "docker";

    /// <inheritdoc/>
    public string ServerVersion { get; private set; } = "unknown";

    /// <summary>The run id in every label and resource name.</summary>
    public string RunId { get; }

    /// <summary>All nodes, in spec order.</summary>
    public ImmutableArray<DockerNode> Nodes { get; }

    /// <summary>The current primary.</summary>
    public DockerNode Primary { get; internal set; }

    /// <inheritdoc/>
    public string LogDirectory => options.LogDirectory ?? string.Empty;

    /// <summary>The Toxiproxy container's API, through its published port.</summary>
    public ToxiproxyClient? Proxy { get; private set; }

    /// <summary>The router of this cluster's links: proxies inside the Toxiproxy container, or straight to the nodes' peer addresses in the kernel mode.</summary>
    public ILinkRouter? Router { get; private set; }

    /// <summary>The faults on <see cref="Router"/>'s links: Toxiproxy toxics, or kernel rules in the containers.</summary>
    public ILinkFaults? LinkFaults { get; private set; }

    ImmutableArray<IClusterNode> IReplicatedCluster.Nodes => [.. Nodes];

    IClusterNode IReplicatedCluster.Primary => Primary;

    internal DockerClient Client { get; }

    internal DockerClusterOptions Options => options;

    /// <summary>The kernel mode's addresses, or null in the proxy mode.</summary>
    internal KernelTopology? Kernel => options.Kernel;

    /// <summary>The kernel mode's faults, whose rules a restarted container gets back.</summary>
    private KernelLinkFaults? KernelFaults { get; set; }

    /// <summary>The cluster's network: every link runs on it, and isolating a node disconnects it from it.</summary>
    internal INetwork? Network { get; private set; }

    /// <summary>
    /// Where an isolated node's port is published: a second network, made at the first isolation (connecting every
    /// node to it at start made bring-up about 0.1 s slower), so the harness's own connections survive isolation.
    /// It becomes the node's gateway (Docker picks the first network by name, and "-admin" sorts before "-net").
    /// </summary>
    internal INetwork? AdminNetwork { get; private set; }

    internal IReadOnlyDictionary<string, string> Labels => labels;

    internal RunSecrets Secrets { get; }

    /// <summary>Removes the run's labelled objects soon after this process dies, however it dies.</summary>
    internal RunReaper Reaper { get; }

    /// <summary>The image the nodes are containers of, their data directories in place; null: made by the init scripts (to build a template).</summary>
    internal DockerTemplate? Template { get; }

    private IContainer? ProxyContainer { get; set; }

    IClusterNode IReplicatedCluster.this[string name] => this[name];

    /// <summary>The node named <paramref name="name"/>.</summary>
    public DockerNode this[string name] =>
        Nodes.FirstOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"no node named {name}; nodes are {string.Join(", ", Nodes.Select(n => n.Name))}");

    /// <summary>
    /// Checks the daemon and the images, sweeps the leftovers of dead runs, makes the image's template if the daemon
    /// has none yet (<see cref="DockerTemplate"/>), and brings up the network, the Toxiproxy container, the primary
    /// and its replicas; returns once every replica streams through its proxy.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">No daemon answers, or an image is not present.</exception>
    public static async Task<DockerCluster> StartAsync(ClusterSpec spec, DockerClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new DockerClusterOptions();
        var daemon = await DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
        DockerDaemon.ConfigureTestcontainers(daemon);
        var client = DockerDaemon.CreateClient(daemon);
        DockerTemplate template;
        try
        {
            await DockerSweeper.SweepAsync(client, cancellationToken).ConfigureAwait(false);
            var tags = await DockerDaemon.ImageTagsAsync(client, cancellationToken).ConfigureAwait(false);
            var images = options.Kernel is null ? new[] { (options.PgImage, "--pg-image"), (options.ToxiproxyImage, "--toxiproxy-image") } : [(options.PgImage, "--pg-image")];
            foreach (var (image, option) in images)
            {
                if (!DockerDaemon.HasImage(tags, image))
                {
                    throw new ClusterConfigurationException(
                        $"the image {image} ({option}) is not present in the Docker daemon and ChaosPg never pulls: `docker pull {image}`, or build ChaosPg's own with docker/images/build.sh and pass {option}");
                }
            }

            template = await DockerTemplate.EnsureAsync(client, daemon, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return await StartAsync(spec, options, client, template, RunSecrets.Generate(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings up a cluster with <paramref name="client"/>, which it then owns: from <paramref name="template"/>, or,
    /// when that is null, by the init scripts alone with <paramref name="secrets"/> (how a template is made).
    /// </summary>
    internal static async Task<DockerCluster> StartAsync(ClusterSpec spec, DockerClusterOptions options, DockerClient client, DockerTemplate? template, RunSecrets secrets, CancellationToken cancellationToken)
    {
        var cluster = new DockerCluster(spec, options, client, template, secrets);
        // Before the first container or network exists: the label names whatever is made from here on.
        cluster.Reaper.Add(ReapEntry.DockerLabel($"{DockerLabels.Run}={cluster.RunId}", "the run's containers, networks and volumes"));
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

    /// <inheritdoc/>
    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        ConvergenceWaiter.WaitAsync(this, deadline, cancellationToken);

    /// <summary>Writes the container logs, then removes every container, the volumes and the network of the run.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // Teardown has its own deadline; a caller's token may already be cancelled.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (Router is not null)
        {
            await Router.DisposeAsync().ConfigureAwait(false);
        }

        Proxy?.Dispose();
        await Task.WhenAll(Nodes.Select(n => n.TerminateAsync(timeout.Token))).ConfigureAwait(false);
        if (ProxyContainer is not null)
        {
            await SaveLogsAsync(ProxyContainer, ProxyAlias, timeout.Token).ConfigureAwait(false);
            await ProxyContainer.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(Nodes.Select(n => n.RemoveVolumeAsync(timeout.Token))).ConfigureAwait(false);
        foreach (var network in (INetwork?[])[Network, AdminNetwork])
        {
            if (network is not null)
            {
                await network.DisposeAsync().ConfigureAwait(false);
            }
        }

        adminNetworkLock.Dispose();

        // Whatever a failure above left behind carries this run's labels and a dead owner only once this process
        // ends; remove it now rather than leave it to the next run's sweep.
        var torn = await RemoveLeftoversAsync(timeout.Token).ConfigureAwait(false);
        Client.Dispose();
        if (options.Reaper is null)
        {
            await Reaper.ReleaseAsync(reap: !torn).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a container's output to &lt;LogDirectory&gt;/&lt;name&gt;.log, when a log directory was given.</summary>
    internal async Task SaveLogsAsync(IContainer container, string name, CancellationToken cancellationToken)
    {
        if (options.LogDirectory is null)
        {
            return;
        }

        try
        {
            var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(options.LogDirectory);
            await File.WriteAllTextAsync(Path.Combine(options.LogDirectory, name + ".log"), stdout + stderr, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A log that cannot be read must not keep the containers from being removed.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    internal string ConnectionString(LinkEndpoint endpoint, DatabaseRole role) => Secrets.ConnectionString(endpoint, role);

    /// <summary>
    /// The command line of a node's server: the image's entrypoint runs <c>postgres -c ...</c>. All settings but
    /// synchronous_standby_names: the entrypoint's initialization server gets the same arguments, and with it its
    /// commits would wait for a standby that does not exist yet (<see cref="RequireSynchronousStandbysAsync"/>).
    /// </summary>
    internal string[] ServerCommand(string node) =>
        ["postgres", "-c", "listen_addresses=*", .. NodeConfig.ServerSettings(Spec, node)
            .Where(s => s.Name != SynchronousStandbyNames)
            .SelectMany(s => new[] { "-c", $"{s.Name}={s.Value}" })];

    /// <summary>Routes <paramref name="node"/>'s WAL link to <paramref name="upstream"/>: the proxy's address inside the network.</summary>
    internal Task<LinkEndpoint> RouteWalAsync(DockerNode node, DockerNode upstream, CancellationToken cancellationToken) =>
        Router!.RouteAsync(LinkNames.WalStream(node.Name, upstream.Name), new LinkEndpoint(upstream.Name, PgPort), cancellationToken);

    internal static int ClientProxyPort(int nodeIndex) => ClientPortBase + nodeIndex;

    /// <summary>
    /// Where the harness reaches a node's container now: its published port on 127.0.0.1, or in the kernel mode its
    /// address on the admin network (read again after every start: Docker may give it another).
    /// </summary>
    internal async Task<LinkEndpoint> AdminEndpointAsync(string containerId, CancellationToken cancellationToken)
    {
        if (Kernel is null)
        {
            return await DockerNode.PublishedEndpointAsync(Client, containerId, PgPort, cancellationToken).ConfigureAwait(false);
        }

        var inspect = await Client.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
        return inspect.NetworkSettings?.Networks is { } networks && networks.TryGetValue(AdminNetwork!.Name, out var admin) && !string.IsNullOrEmpty(admin.IPAddress)
            ? new LinkEndpoint(admin.IPAddress, PgPort)
            : throw new InvalidOperationException($"container {containerId[..12]} has no address on the admin network {AdminNetwork!.Name}");
    }

    /// <summary>Puts the kernel rules of a node whose container started again back into its new namespace.</summary>
    internal Task ReapplyKernelRulesAsync(DockerNode node, CancellationToken cancellationToken) =>
        KernelFaults?.ReapplyAsync(node.Name, cancellationToken) ?? Task.CompletedTask;

    /// <summary>The process whose network namespace is <paramref name="node"/>'s container's, or null when it is not running.</summary>
    private async Task<int?> ContainerPidAsync(string node, CancellationToken cancellationToken)
    {
        if (this[node].ContainerId is not { } id)
        {
            return null;
        }

        var inspect = await Client.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        return inspect.State is { Running: true, Pid: > 0 } state ? (int)state.Pid : null;
    }

    /// <summary>Returns the admin network, making it first if no node was isolated before.</summary>
    internal async Task<INetwork> AdminNetworkAsync(CancellationToken cancellationToken)
    {
        await adminNetworkLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (AdminNetwork is null)
            {
                var network = NewNetwork("admin");
                await network.CreateAsync(cancellationToken).ConfigureAwait(false);
                AdminNetwork = network;
            }

            return AdminNetwork;
        }
        finally
        {
            adminNetworkLock.Release();
        }
    }

    private INetwork NewNetwork(string suffix, KernelTopology? subnet = null) => new NetworkBuilder()
        .WithLogger(options.Logger)
        .WithName($"chaospg-{RunId}-{suffix}")
        .WithLabel(labels)
        .WithCleanUp(false)
        .WithCreateParameterModifier(parameters =>
        {
            // The kernel mode's network is the topology's /24, so its rules can name every address before any exists.
            if (subnet is not null)
            {
                parameters.IPAM = new IPAM { Config = [new IPAMConfig { Subnet = subnet.Subnet, Gateway = subnet.HostAddress }] };
            }
        })
        .Build();

    private async Task BringUpAsync(CancellationToken cancellationToken)
    {
        Network = NewNetwork("net", Kernel);
        await Network.CreateAsync(cancellationToken).ConfigureAwait(false);
        if (Kernel is not null)
        {
            await AdminNetworkAsync(cancellationToken).ConfigureAwait(false);
        }

        // The primary needs no proxy, so it starts at once. Made by the init scripts, a replica's entrypoint waits for
        // the primary through its proxy before it clones, so it starts as soon as its WAL link exists. Started from the
        // template, a replica starts at once too, and is handed its WAL link once the primary has this run's passwords.
        // The first failure cancels the rest instead of letting them wait out their timeouts.
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task Guard(Func<CancellationToken, Task> step)
        {
            try
            {
                await step(failFast.Token).ConfigureAwait(false);
            }
            catch
            {
                await failFast.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var replicas = Nodes.Skip(1).ToList();
        var primary = Guard(token => Primary.CreateAsync(upstream: null, token));
        var proxy = Guard(async token =>
        {
            if (Kernel is null)
            {
                await StartProxyAsync(token).ConfigureAwait(false);
            }
            else
            {
                var router = new KernelLinkRouter(Kernel);
                KernelFaults = new KernelLinkFaults(router, new DockerKernelShell(Kernel, ContainerPidAsync).RunAsync);
                (Router, LinkFaults) = (router, KernelFaults);
            }

            foreach (var node in Nodes)
            {
                node.ClientEndpoint = await Router!.RouteAsync(LinkNames.Client(node.Name), new LinkEndpoint(node.Name, PgPort), token).ConfigureAwait(false);
            }
        });
        if (Template is null)
        {
            await Task.WhenAll(primary, Guard(async token =>
            {
                await proxy.ConfigureAwait(false);
                await Task.WhenAll(replicas.Select(r => r.CreateAsync(Primary, token))).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        else
        {
            await Task.WhenAll(primary, proxy, Guard(async token =>
            {
                await Task.WhenAll(replicas.Select(r => r.CreateAsync(Primary, token))).ConfigureAwait(false);
                await proxy.ConfigureAwait(false);
                await Task.WhenAll(replicas.Select(r => r.StreamFromAsync(Primary, primary, token))).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }

        await RequireSynchronousStandbysAsync(cancellationToken).ConfigureAwait(false);
        await NodeSql.WaitForStreamingAsync(Spec, Primary, [.. replicas.Select(r => r.Name)], options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        ServerVersion = await NodeSql.ServerVersionAsync(Primary, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets synchronous_standby_names on every node with ALTER SYSTEM (so a promoted replica keeps it, and pg_rewind
    /// carries it), once the replicas exist.
    /// </summary>
    private async Task RequireSynchronousStandbysAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Spec.SynchronousStandbyNames))
        {
            return;
        }

        foreach (var node in Nodes)
        {
            var connection = await NodeSql.OpenAsync(node, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var value = Spec.SynchronousStandbyNames.Replace("'", "''", StringComparison.Ordinal);
                await NodeSql.ExecuteAsync(connection, $"ALTER SYSTEM SET {SynchronousStandbyNames} = '{value}'", cancellationToken).ConfigureAwait(false);
                await NodeSql.ExecuteAsync(connection, "SELECT pg_reload_conf()", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StartProxyAsync(CancellationToken cancellationToken)
    {
        var builder = new ContainerBuilder(options.ToxiproxyImage)
            .WithLogger(options.Logger)
            .WithName($"chaospg-{RunId}-{ProxyAlias}")
            .WithLabel(labels)
            .WithLabel(DockerLabels.Node, ProxyAlias)
            .WithCleanUp(false)
            .WithNetwork(Network)
            .WithNetworkAliases(ProxyAlias)
            .WithCommand("-host=0.0.0.0")
            .WithPortBinding(ToxiproxyApiPort, assignRandomHostPort: true);
        for (var i = 0; i < Nodes.Length; i++)
        {
            builder = builder.WithPortBinding(ClientProxyPort(i), assignRandomHostPort: true);
        }

        ProxyContainer = builder.WithCreateParameterModifier(DockerNode.BindToLoopback).Build();
        await ProxyContainer.StartAsync(cancellationToken).ConfigureAwait(false);
        var api = await DockerNode.PublishedEndpointAsync(Client, ProxyContainer.Id, ToxiproxyApiPort, cancellationToken).ConfigureAwait(false);
        Proxy = new ToxiproxyClient(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{api.Host}:{api.Port}/")));
        var deadline = DateTime.UtcNow + options.ReadyTimeout;
        while (true)
        {
            try
            {
                await Proxy.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when ((e is HttpRequestException or ToxiproxyException or TaskCanceledException) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        var published = new Dictionary<int, LinkEndpoint>();
        for (var i = 0; i < Nodes.Length; i++)
        {
            published[ClientProxyPort(i)] = await DockerNode.PublishedEndpointAsync(Client, ProxyContainer.Id, ClientProxyPort(i), cancellationToken).ConfigureAwait(false);
        }

        var toxiproxyRouter = new ToxiproxyLinkRouter(Proxy, new ContainerPlacement([.. Nodes.Select(n => n.Name)], published));
        (Router, LinkFaults) = (toxiproxyRouter, new Links.LinkFaults(toxiproxyRouter));
    }

    /// <summary>Removes what is left with this run's label; false when the daemon refused, and the reaper must try.</summary>
    private async Task<bool> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DockerSweeper.RemoveLabelledAsync(Client, $"{DockerLabels.Run}={RunId}", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is DockerApiException or OperationCanceledException or HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// Proxies inside the Toxiproxy container: a node's client link listens on a fixed, published port and is
    /// reached through 127.0.0.1 and the published port; a WAL link listens on the next unpublished port and is
    /// reached by replicas through the container's network alias.
    /// </summary>
    private sealed class ContainerPlacement(IReadOnlyList<string> nodes, IReadOnlyDictionary<int, LinkEndpoint> published) : ProxyPlacement
    {
        private int nextWalPort = WalPortBase;

        public override string ListenFor(string link)
        {
            var clientNode = ClientNode(link);
            var port = clientNode is null ? Interlocked.Increment(ref nextWalPort) : ClientProxyPort(IndexOf(clientNode));
            return string.Create(CultureInfo.InvariantCulture, $"0.0.0.0:{port}");
        }

        public override LinkEndpoint Reach(string link, LinkEndpoint listen) =>
            ClientNode(link) is null ? new LinkEndpoint(ProxyAlias, listen.Port) : published[listen.Port];

        private static string? ClientNode(string link) =>
            link.StartsWith(LinkNames.Client(string.Empty), StringComparison.Ordinal) ? link[LinkNames.Client(string.Empty).Length..] : null;

        private int IndexOf(string node)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                if (nodes[i] == node)
                {
                    return i;
                }
            }

            throw new KeyNotFoundException($"no node named {node}");
        }
    }
}
