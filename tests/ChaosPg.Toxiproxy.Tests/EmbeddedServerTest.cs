using ChaosPg.Toxiproxy.Server;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>Base of tests that run against a fresh embedded server on a free loopback port.</summary>
public abstract class EmbeddedServerTest
{
    protected ToxiproxyServer Server { get; private set; } = null!;

    protected ToxiproxyClient Client { get; private set; } = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        Server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Host = "127.0.0.1", Port = 0 });
        Client = new ToxiproxyClient(Server.ApiUri);
    }

    [TearDown]
    public async Task StopServerAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Creates a proxy on a free loopback port in front of <paramref name="upstream"/>.</summary>
    protected Task<ToxiproxyProxy> ProxyAsync(string name, LoopbackServer upstream) =>
        Client.CreateProxyAsync(new ProxyDefinition(name, upstream.Address, "127.0.0.1:0"));

    /// <summary>Polls a condition until it holds or the deadline passes.</summary>
    protected static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return await condition();
    }
}
