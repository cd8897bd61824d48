using System.Diagnostics;
using System.Reflection;
using ChaosPg.Toxiproxy.Server;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>
/// The embedded server driven by toxiproxy-node-client, a Toxiproxy client someone else wrote (compat/compat.js).
/// Needs node on PATH and `npm ci` run in compat/.
/// </summary>
public sealed class NodeClientCompatibilityTests
{
    [Test]
    public async Task Toxiproxy_node_client_works_against_the_embedded_server()
    {
        var directory = typeof(NodeClientCompatibilityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "CompatDirectory").Value!;
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "toxiproxy-node-client")) || ToxiproxyProvider.FindExecutable("node") is null)
        {
            Assert.Ignore($"node and `npm ci` in {directory} are needed for this test.");
        }

        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 });
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("compat.js");
        start.ArgumentList.Add(server.ApiUri.ToString());

        using var node = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);

        Assert.That(node.ExitCode, Is.Zero, await errors);
        Assert.That((await output).Trim(), Is.EqualTo("ok"));
    }
}
