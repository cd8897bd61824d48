using System.Runtime.Versioning;
using ChaosPg.Toxiproxy.Server;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>How a run's Toxiproxy is chosen.</summary>
public sealed class ToxiproxyProviderTests
{
    [Test]
    public async Task Without_url_or_binary_the_embedded_server_is_started_and_stopped_with_the_handle()
    {
        var handle = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { ServerExecutable = null });
        var apiUri = handle.Client.ApiUri;

        Assert.That(handle.Kind, Is.EqualTo(ToxiproxyKind.Embedded));
        Assert.That(handle.KindName, Is.EqualTo("embedded"));
        Assert.That(await handle.Client.GetVersionAsync(), Is.EqualTo(handle.Version));
        Assert.That(handle.Identity.Display, Is.EqualTo("2.12.0 (chaospg embedded server)"));

        await handle.DisposeAsync();
        await handle.DisposeAsync();
        using var probe = new ToxiproxyClient(apiUri);
        Assert.ThrowsAsync<HttpRequestException>(() => probe.GetVersionAsync());
    }

    [Test]
    public async Task A_given_url_is_used_as_an_external_server_and_left_running()
    {
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0, Version = "9.9.9" });

        var handle = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { Url = server.ApiUri });
        Assert.That(handle.Kind, Is.EqualTo(ToxiproxyKind.External));
        Assert.That(handle.KindName, Is.EqualTo("external"));
        Assert.That(handle.Version, Is.EqualTo("9.9.9"));
        Assert.That(handle.Identity.IsEmbedded, Is.True, "the embedded server behind a URL is still told apart, by its header");
        await handle.DisposeAsync();

        using var client = new ToxiproxyClient(server.ApiUri);
        Assert.That(await client.GetVersionAsync(), Is.EqualTo("9.9.9"));
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public async Task A_toxiproxy_server_executable_is_started_on_loopback_and_killed_with_the_handle()
    {
        // Test double for the toxiproxy-server binary (absent here): answers /version on the -host/-port it is given.
        var directory = Directory.CreateTempSubdirectory("chaospg-toxiproxy-");
        try
        {
            var script = Path.Combine(directory.FullName, "toxiproxy-server");
            await File.WriteAllTextAsync(script, FakeServerScript);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var handle = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { ServerExecutable = script });
            var apiUri = handle.Client.ApiUri;
            Assert.That(handle.Kind, Is.EqualTo(ToxiproxyKind.ToxiproxyServer));
            Assert.That(handle.KindName, Is.EqualTo("toxiproxy-server"));
            Assert.That(handle.Version, Is.EqualTo("2.12.0"));
            Assert.That(handle.Identity.IsEmbedded, Is.False, "a server without the header is a real Toxiproxy");
            Assert.That(handle.Identity.Display, Is.EqualTo("2.12.0"));
            Assert.That(apiUri.Host, Is.EqualTo("127.0.0.1"));

            await handle.DisposeAsync();
            using var probe = new ToxiproxyClient(apiUri);
            Assert.ThrowsAsync<HttpRequestException>(() => probe.GetVersionAsync());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void A_url_where_nothing_answers_is_a_ToxiproxyException()
    {
        var port = FreePort();

        Assert.ThrowsAsync<ToxiproxyException>(() => ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions { Url = new Uri($"http://127.0.0.1:{port}/") }));
    }

    private const string FakeServerScript = """
        #!/usr/bin/env python3
        import http.server, sys
        args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
        class Version(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'{"version": "2.12.0"}\n'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        http.server.HTTPServer((args["-host"], int(args["-port"])), Version).serve_forever()
        """;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
