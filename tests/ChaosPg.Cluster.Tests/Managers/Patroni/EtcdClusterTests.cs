using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.Patroni;

namespace ChaosPg.Cluster.Tests.Managers.Patroni;

[Category("Local")]
public class EtcdClusterTests
{
    private string workDirectory = null!;

    [SetUp]
    public void SetUp()
    {
        workDirectory = Path.Combine("/var/tmp/chaospg-tests", "etcd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(workDirectory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(workDirectory, recursive: true);

    [Test]
    public async Task A_one_member_etcd_is_healthy_on_its_own_loopback_port_stores_a_key_and_is_gone_after_disposal()
    {
        var etcd = await EtcdCluster.StartAsync(Options(members: 1));
        int pid;
        await using (etcd)
        {
            var member = etcd.Members.Single();
            Assert.That(member.Client.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(member.Client.Port, Is.Not.EqualTo(2379), "never etcd's default client port");
            Assert.That(member.DataDirectory, Does.StartWith(workDirectory));
            Assert.That(await EtcdCluster.IsHealthyAsync(member), Is.True);

            await PutAsync(member, "chaospg-test", "value");
            Assert.That(await GetAsync(member, "chaospg-test"), Is.EqualTo("value"));

            pid = etcd.RunningProcesses.Single().Pid;
            Assert.That(File.ReadAllText($"/proc/{pid}/cmdline"), Does.StartWith("etcd\0"), "the pid held is etcd's own, not a wrapper's");
            if (Environment.IsPrivilegedProcess)
            {
                Assert.That(ProcessUid(pid), Is.EqualTo(ServerUser.Resolve().Uid), "etcd runs as the server user, not root");
            }
        }

        Assert.That(ProcessTable.IsAlive(pid), Is.False, "etcd was stopped by disposal (a zombie not yet reaped counts as gone)");
        Assert.That(etcd.RunningProcesses, Is.Empty);
        await etcd.DisposeAsync();
    }

    [Test]
    public async Task A_three_member_etcd_has_three_healthy_members_that_see_each_others_writes()
    {
        await using var etcd = await EtcdCluster.StartAsync(Options(members: 3));
        Assert.That(etcd.Members.Select(m => m.Name), Is.EqualTo(new[] { "etcd1", "etcd2", "etcd3" }));
        Assert.That(etcd.RunningProcesses.Count(), Is.EqualTo(3));
        await PutAsync(etcd.Members[0], "k", "written on etcd1");
        Assert.That(await GetAsync(etcd.Members[2], "k"), Is.EqualTo("written on etcd1"));
    }

    [Test]
    public void Two_members_are_refused_before_anything_starts()
    {
        var exception = Assert.ThrowsAsync<ClusterConfigurationException>(() => EtcdCluster.StartAsync(Options(members: 2)));
        Assert.That(exception!.Message, Does.Contain("1 or 3"));
        Assert.That(Directory.Exists(Path.Combine(workDirectory, "etcd")), Is.False);
    }

    private EtcdOptions Options(int members) => new()
    {
        Members = members,
        WorkDirectory = workDirectory,
        LogDirectory = Path.Combine(workDirectory, "logs"),
        User = ServerUser.Resolve(),
        ClusterToken = Guid.NewGuid().ToString("N"),
    };

    private static int ProcessUid(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task PutAsync(EtcdMember member, string key, string value)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(member.ClientUrl + "/v3/kv/put"), new { key = B64(key), value = B64(value) });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string?> GetAsync(EtcdMember member, string key)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(member.ClientUrl + "/v3/kv/range"), new { key = B64(key) });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("kvs", out var kvs)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(kvs[0].GetProperty("value").GetString()!))
            : null;
    }
}
