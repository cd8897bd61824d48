using System.Collections.Immutable;
using System.Net;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>The typed client driving the embedded server.</summary>
public sealed class ToxiproxyClientTests : EmbeddedServerTest
{
    private static readonly Toxic[] EveryToxic =
    [
        new LatencyToxic { Name = "latency", Latency = 120, Jitter = 7, Stream = ToxicDirection.Upstream, Toxicity = 0.25f },
        new BandwidthToxic { Name = "bandwidth", Rate = 512 },
        new SlowCloseToxic { Name = "slow_close", Delay = 300 },
        new TimeoutToxic { Name = "timeout", Timeout = 1000 },
        new ResetPeerToxic { Name = "reset_peer", Timeout = 50 },
        new SlicerToxic { Name = "slicer", AverageSize = 64, SizeVariation = 8, Delay = 10 },
        new LimitDataToxic { Name = "limit_data", Bytes = 4096 },
        new NoopToxic { Name = "noop" },
    ];

    [Test]
    public async Task Version_is_the_servers()
    {
        Assert.That(await Client.GetVersionAsync(), Is.EqualTo(Server.Version));
    }

    [Test]
    public async Task Every_toxic_type_round_trips_with_its_attributes()
    {
        await Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0"));

        foreach (var toxic in EveryToxic)
        {
            var added = await Client.AddToxicAsync("p", toxic);
            Assert.That(added, Is.EqualTo(toxic with { Toxicity = toxic.Toxicity ?? 1f }), toxic.Type);
        }

        var listed = await Client.GetToxicsAsync("p");
        Assert.That(listed.Select(t => t.Name), Is.EquivalentTo(EveryToxic.Select(t => t.Name)));
        Assert.That(await Client.GetToxicAsync("p", "slicer"), Is.EqualTo(EveryToxic[5] with { Toxicity = 1f }));
    }

    [Test]
    public async Task Proxy_lifecycle_through_the_client()
    {
        var created = await Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0"));
        Assert.That(created.Enabled, Is.True);
        Assert.That(created.Listen, Does.StartWith("127.0.0.1:").And.Not.EndWith(":0"));

        var disabled = await Client.UpdateProxyAsync("p", new ProxyUpdate(Enabled: false));
        Assert.That(disabled, Is.EqualTo(created with { Enabled = false, Toxics = disabled.Toxics }));

        var all = await Client.GetProxiesAsync();
        Assert.That(all.Keys, Is.EquivalentTo(new[] { "p" }));

        await Client.DeleteProxyAsync("p");
        Assert.That(await Client.GetProxiesAsync(), Is.Empty);
    }

    [Test]
    public async Task Changing_listen_rebinds_the_proxy_and_keeps_its_toxics()
    {
        await Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0"));
        await Client.AddToxicAsync("p", new LatencyToxic { Latency = 5 });

        var moved = await Client.UpdateProxyAsync("p", new ProxyUpdate(Listen: "127.0.0.1:0"));
        var same = await Client.UpdateProxyAsync("p", new ProxyUpdate(Listen: moved.Listen));

        Assert.That(moved.Listen, Does.StartWith("127.0.0.1:").And.Not.EndWith(":0"));
        Assert.That(moved.Toxics, Has.Length.EqualTo(1));
        Assert.That(same, Is.EqualTo(moved with { Toxics = same.Toxics }));
        Assert.That(same.Toxics, Is.EqualTo(moved.Toxics));
    }

    [Test]
    public async Task Server_errors_raise_ToxiproxyException_with_status_and_message()
    {
        await Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0"));

        var duplicate = Assert.ThrowsAsync<ToxiproxyException>(() => Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0")));
        var missing = Assert.ThrowsAsync<ToxiproxyException>(() => Client.GetProxyAsync("nope"));
        var badToxic = Assert.ThrowsAsync<ToxiproxyException>(() => Client.AddToxicAsync("p", new UnknownToxic("down", System.Collections.Immutable.ImmutableDictionary<string, long>.Empty)));

        Assert.That(duplicate!.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(duplicate.ServerMessage, Is.EqualTo("proxy already exists"));
        Assert.That(duplicate.Message, Is.EqualTo("HTTP 409: proxy already exists"));
        Assert.That(missing!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.ServerMessage, Is.EqualTo("proxy not found"));
        Assert.That(badToxic!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Toxic_update_merges_the_attributes_sent()
    {
        await Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0"));
        await Client.AddToxicAsync("p", new LatencyToxic { Name = "lag", Latency = 100, Jitter = 3 });

        var updated = await Client.UpdateToxicAsync("p", "lag", new ToxicUpdate(ImmutableDictionary<string, long>.Empty.Add("jitter", 9), Toxicity: 0.5f));

        Assert.That(updated, Is.EqualTo(new LatencyToxic { Name = "lag", Latency = 100, Jitter = 9, Toxicity = 0.5f }));
    }

    [Test]
    public async Task Populate_failure_carries_the_proxies_done_so_far()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        var failure = Assert.ThrowsAsync<ToxiproxyException>(() => Client.PopulateAsync(
        [
            new ProxyDefinition("a", "127.0.0.1:1", "127.0.0.1:0"),
            new ProxyDefinition("b", "127.0.0.1:1", taken.LocalEndpoint.ToString()),
        ]));

        Assert.That(failure!.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(failure.PopulatedProxies.Select(p => p.Name), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task Reset_clears_toxics_and_enables_proxies()
    {
        await Client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:1", "127.0.0.1:0", Enabled: false));
        await Client.AddToxicAsync("p", new TimeoutToxic());

        await Client.ResetAsync();

        var proxy = await Client.GetProxyAsync("p");
        Assert.That(proxy.Enabled, Is.True);
        Assert.That(proxy.Toxics, Is.Empty);
    }
}
