using System.Net;
using System.Net.Sockets;
using ChaosPg.Cluster.Links;
using ChaosPg.Toxiproxy;
using ChaosPg.Toxiproxy.Server;

namespace ChaosPg.Cluster.Tests.Links;

/// <summary>The router against the embedded Toxiproxy, with plain TCP listeners as the nodes.</summary>
public sealed class ToxiproxyLinkRouterTests
{
    private ToxiproxyServer Server { get; set; } = null!;

    private ToxiproxyClient Client { get; set; } = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        Server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 });
        Client = new ToxiproxyClient(Server.ApiUri);
    }

    [TearDown]
    public async Task StopServerAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    [TestCase("client->primary", "client-primary")]
    [TestCase("replica2->replica1", "replica2-replica1")]
    public void A_proxy_is_named_after_its_link_with_a_dash_for_the_arrow(string link, string proxy) =>
        Assert.That(ToxiproxyLinkRouter.ProxyName(link), Is.EqualTo(proxy));

    [Test]
    public async Task Routing_a_link_creates_its_proxy_on_a_loopback_port_that_reaches_the_node()
    {
        using var node = Listen();
        await using var router = new ToxiproxyLinkRouter(Client);

        var endpoint = await router.RouteAsync("client->primary", EndpointOf(node));

        var proxy = await Client.GetProxyAsync("client-primary");
        Assert.That((proxy.Listen, proxy.Upstream, proxy.Enabled), Is.EqualTo(($"127.0.0.1:{endpoint.Port}", $"127.0.0.1:{EndpointOf(node).Port}", true)));
        Assert.That(endpoint.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(router["client->primary"], Is.EqualTo(new RoutedLink("client->primary", "client-primary", endpoint, EndpointOf(node))));
        await AssertReachesAsync(endpoint, node);
    }

    [Test]
    public async Task Routing_a_link_again_to_another_node_keeps_its_port_and_reaches_the_new_node()
    {
        using var oldNode = Listen();
        using var newNode = Listen();
        await using var router = new ToxiproxyLinkRouter(Client);
        var first = await router.RouteAsync("replica2->primary", EndpointOf(oldNode));
        Assert.That(await router.RouteAsync("replica2->primary", EndpointOf(oldNode)), Is.EqualTo(first), "routing to the same node changes nothing");

        var second = await router.RouteAsync("replica2->primary", EndpointOf(newNode));

        Assert.That(second, Is.EqualTo(first));
        Assert.That((await Client.GetProxyAsync("replica2-primary")).Upstream, Is.EqualTo($"127.0.0.1:{EndpointOf(newNode).Port}"));
        await AssertReachesAsync(second, newNode);
    }

    [Test]
    public async Task A_link_re_pointed_while_partitioned_stays_partitioned()
    {
        using var oldNode = Listen();
        using var newNode = Listen();
        await using var router = new ToxiproxyLinkRouter(Client);
        await router.RouteAsync("replica2->primary", EndpointOf(oldNode));
        await new LinkFaults(router).PartitionAsync("replica2->primary");

        await router.RouteAsync("replica2->primary", EndpointOf(newNode));

        Assert.That((await Client.GetProxyAsync("replica2-primary")).Enabled, Is.False);
    }

    [Test]
    public async Task Disposing_the_router_deletes_its_proxies_and_leaves_others()
    {
        using var node = Listen();
        await Client.CreateProxyAsync(new ProxyDefinition("someone-else", "127.0.0.1:1", "127.0.0.1:0"));
        var router = new ToxiproxyLinkRouter(Client);
        await router.RouteAsync("client->primary", EndpointOf(node));
        await router.RouteAsync("replica1->primary", EndpointOf(node));

        await router.DisposeAsync();
        await router.DisposeAsync();

        Assert.That((await Client.GetProxiesAsync()).Keys, Is.EquivalentTo(new[] { "someone-else" }));
    }

    [Test]
    public async Task A_stale_proxy_with_the_link_name_is_replaced()
    {
        using var node = Listen();
        await Client.CreateProxyAsync(new ProxyDefinition("client-primary", "127.0.0.1:1", "127.0.0.1:0"));
        await using var router = new ToxiproxyLinkRouter(Client);

        var endpoint = await router.RouteAsync("client->primary", EndpointOf(node));

        await AssertReachesAsync(endpoint, node);
    }

    [Test]
    public async Task Links_of_a_node_are_those_that_start_or_end_with_it()
    {
        using var node = Listen();
        await using var router = new ToxiproxyLinkRouter(Client);
        foreach (var link in new[] { "client->primary", "client->replica1", "client->replica2", "replica1->primary", "replica2->primary", "replica2->replica1" })
        {
            await router.RouteAsync(link, EndpointOf(node));
        }

        var faults = new LinkFaults(router);

        Assert.That(faults.LinksOf("replica1"), Is.EquivalentTo(new[] { "client->replica1", "replica1->primary", "replica2->replica1" }));
        Assert.That(faults.LinksOf("primary"), Is.EquivalentTo(new[] { "client->primary", "replica1->primary", "replica2->primary" }));
    }

    [Test]
    public async Task Faults_are_toxics_named_after_fault_and_stream_and_removal_is_idempotent()
    {
        using var node = Listen();
        await using var router = new ToxiproxyLinkRouter(Client);
        await router.RouteAsync("client->primary", EndpointOf(node));
        var faults = new LinkFaults(router);

        var latency = await faults.LatencyAsync("client->primary", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(20), LinkDirection.Upstream);
        var blackhole = await faults.BlackholeAsync("client->primary");
        await faults.BandwidthAsync("client->primary", 64, LinkDirection.Downstream);

        var toxics = await Client.GetToxicsAsync("client-primary");
        Assert.That(toxics.Select(t => (t.Name, t.Type, t.Stream)), Is.EquivalentTo(new[]
        {
            ("chaospg-latency-upstream", "latency", ToxicDirection.Upstream),
            ("chaospg-blackhole-upstream", "timeout", ToxicDirection.Upstream),
            ("chaospg-blackhole-downstream", "timeout", ToxicDirection.Downstream),
            ("chaospg-bandwidth-downstream", "bandwidth", ToxicDirection.Downstream),
        }));
        Assert.That(toxics.OfType<LatencyToxic>().Single(), Is.EqualTo(new LatencyToxic { Name = "chaospg-latency-upstream", Stream = ToxicDirection.Upstream, Latency = 300, Jitter = 20, Toxicity = 1 }));

        await faults.RemoveAsync(blackhole);
        await faults.RemoveAsync(blackhole);
        await faults.RemoveAsync(new LinkFault("client->primary", LinkFaultKind.ResetPeer));

        Assert.That((await Client.GetToxicsAsync("client-primary")).Select(t => t.Name), Is.EquivalentTo(new[] { "chaospg-latency-upstream", "chaospg-bandwidth-downstream" }));
        await faults.LatencyAsync("client->primary", TimeSpan.FromMilliseconds(50), TimeSpan.Zero, LinkDirection.Upstream);
        Assert.That(((LatencyToxic)await Client.GetToxicAsync("client-primary", "chaospg-latency-upstream")).Latency, Is.EqualTo(50), "applying a fault again takes its new values");

        await faults.PartitionAsync("client->primary");
        await faults.HealAsync();
        var healed = await Client.GetProxyAsync("client-primary");
        Assert.That((healed.Enabled, healed.Toxics.Length), Is.EqualTo((true, 0)));
        await faults.RemoveAsync(latency);
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static LinkEndpoint EndpointOf(TcpListener listener) => new("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

    private static async Task AssertReachesAsync(LinkEndpoint endpoint, TcpListener node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        await socket.SendAsync("ping"u8.ToArray(), SocketFlags.None, timeout.Token);
        using var accepted = await node.AcceptSocketAsync(timeout.Token);
        var buffer = new byte[4];
        var read = 0;
        int got;
        while (read < 4 && (got = await accepted.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token)) > 0)
        {
            read += got;
        }

        Assert.That(buffer, Is.EqualTo("ping"u8.ToArray()));
    }
}
