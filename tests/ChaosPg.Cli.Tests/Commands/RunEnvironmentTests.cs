using System.Text.Json;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>
/// <c>chaospg run</c> end to end, in the setups a user tried that used to fail: a Toxiproxy started separately, and a
/// caller whose umask is 077. Real PostgreSQL processes and a real <c>chaospg proxy</c>; nothing stands in for them.
/// </summary>
[Category("Local")]
[NonParallelizable]
public sealed class RunEnvironmentTests
{
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-runenv-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_run_with_toxiproxy_url_uses_the_proxy_started_separately_and_passes()
    {
        using var proxy = ChaospgProcess.Start(["proxy", "--port", "0"]);
        try
        {
            var api = await ChaospgProcess.ProxyApiUriAsync(proxy);
            // The proxy logs every API call on stdout: read to its end, it shows what the run asked of it.
            var log = proxy.StandardOutput.ReadToEndAsync();
            var reports = Path.Combine(directory, "reports");

            var (code, output, error) = await ChaospgProcess.RunAsync(
                TimeSpan.FromMinutes(5), ["run", "--catalog", "client-reset-no-phantoms", "--toxiproxy-url", api.ToString(), "--out", reports]);
            await ChaospgProcess.StopWithCtrlCAsync(proxy);

            Assert.That(code, Is.Zero, output + error);
            var manifest = Manifest(reports);
            Assert.That(manifest.GetProperty("proxyKind").GetString(), Is.EqualTo("external"));
            Assert.That(manifest.GetProperty("proxyVersion").GetString(), Is.EqualTo("2.12.0 (chaospg embedded server)"));
            Assert.That(await log, Does.Contain("proxy client-primary created").And.Contain("(reset_peer, "), "the run's links and faults were made on the separate proxy");
        }
        finally
        {
            if (!proxy.HasExited)
            {
                proxy.Kill();
            }
        }
    }

    [Test]
    public async Task A_run_from_a_caller_with_umask_077_brings_up_its_cluster_and_passes()
    {
        var scenario = Path.Combine(directory, "umask.yaml");
        await File.WriteAllTextAsync(scenario, "name: umask-bringup\ndescription: A cluster comes up whatever the caller's umask.\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 3s\nexpect:\n  replica-reads: any\n");
        var reports = Path.Combine(directory, "reports");

        var (code, output, error) = await ChaospgProcess.RunAsync(TimeSpan.FromMinutes(5), ["run", scenario, "--out", reports], umask: "077");

        Assert.That(error, Does.Not.Contain("Permission denied"));
        Assert.That(code, Is.Zero, output + error);
        Assert.That(Manifest(reports).GetProperty("exitStatus").GetInt32(), Is.Zero);
    }

    private static JsonElement Manifest(string reports)
    {
        var file = Directory.GetFiles(Path.Combine(reports, "runs"), "run.json", SearchOption.AllDirectories).Single();
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.Clone();
    }
}
