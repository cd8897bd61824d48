using System.Diagnostics;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Tests.Local;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Tests.Links;

public sealed class ChildProxyProcessTests
{
    [Test]
    public async Task A_chaospg_proxy_child_answers_the_Toxiproxy_API_and_is_gone_after_disposal()
    {
        var child = await ChildProxyProcess.StartAsync(["dotnet", TestCluster.CliDll(), "proxy"]);
        int pid;
        await using (child)
        {
            Assert.That(child.ApiUri.Host, Is.EqualTo("127.0.0.1"));
            using var client = new ToxiproxyClient(child.ApiUri);
            Assert.That((await client.GetServerAsync()).IsEmbedded, Is.True);
            pid = Process.GetProcesses().Single(p => ChildListensOn(p, child.ApiUri.Port)).Id;
        }

        await child.DisposeAsync();
        Assert.That(Process.GetProcesses().Any(p => p.Id == pid), Is.False);
    }

    private static bool ChildListensOn(Process process, int port)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ').Contains($"proxy --host 127.0.0.1 --port {port}", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
