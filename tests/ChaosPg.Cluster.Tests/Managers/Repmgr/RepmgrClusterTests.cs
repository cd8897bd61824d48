using System.Diagnostics;
using System.Globalization;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Managers.Repmgr;
using ChaosPg.Toxiproxy;
using static ChaosPg.Cluster.Tests.Local.TestCluster;

namespace ChaosPg.Cluster.Tests.Managers.Repmgr;

/// <summary>Real repmgr and repmgrd 5.3.3, real PostgreSQL 15, every link through the embedded Toxiproxy.</summary>
[Category("Local")]
public class RepmgrClusterTests
{
    [Test]
    public async Task A_witnessed_cluster_streams_through_the_primarys_peers_link_listens_on_loopback_only_and_leaves_no_process_behind()
    {
        await using var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions());
        await using var router = new ToxiproxyLinkRouter(proxy.Client);
        var bringUp = Stopwatch.StartNew();
        var cluster = await StartAsync(router, new RepmgrSettings { Witness = true });
        string workDirectory;
        List<int> pids;
        try
        {
            TestContext.Out.WriteLine($"bring-up {bringUp.Elapsed.TotalSeconds:0.0}s");
            workDirectory = cluster.WorkDirectory;
            Assert.That(cluster.Primary.Name, Is.EqualTo("primary"));
            Assert.That(cluster.Auxiliaries, Is.EqualTo(new[] { "witness" }));
            Assert.That(router.Links.Select(l => l.Link), Is.SupersetOf(new[] { "client->primary", "peers->primary", "peers->replica1", "primary->witness", "replica1->witness" }));
            var replica = cluster["replica1"];
            var status = await replica.GetStatusAsync();
            Assert.That(status.WalReceiver?.SenderPort, Is.EqualTo(router["peers->primary"].Listen.Port), "the standby streams through the primary's peers link");
            var view = cluster.LatestView!;
            Assert.That(view.Members.Select(m => (m.Name, m.Role, m.IsLeader)), Is.EquivalentTo(new[] { ("primary", "primary", true), ("replica1", "standby", false), ("witness", "witness", false) }));
            Assert.That(replica.Upstream, Is.SameAs(cluster.Primary));
            Assert.That(cluster.Nodes.All(n => n.ManagerIsRunning), Is.True);
            Assert.That(cluster.Facts.Settings["witness"], Is.EqualTo("true"));

            await ExecuteAsync(cluster.Primary, "CREATE TABLE t (id int)");
            await ExecuteAsync(cluster.Primary, "INSERT INTO t VALUES (1)");
            var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(30));
            Assert.That(converged.Converged, Is.True, () => string.Join("; ", converged.Replicas.Select(r => $"{r.Node}: {r.Problem}")));

            pids = ProcessesUnder(workDirectory);
            Assert.That(pids.Select(p => ProcessTable.CommandLine(p)), Has.Some.Contains("repmgrd").And.Some.Contains("postgres"));
            var listening = ListeningAddresses(pids);
            Assert.That(listening, Is.Not.Empty);
            Assert.That(listening, Has.All.StartsWith("127.0.0.1:"), "every server and repmgrd listens on loopback only");
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.That(ProcessesUnder(workDirectory), Is.Empty, "no server or repmgrd of the run is left");
        Assert.That(pids.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Directory.Exists(workDirectory), Is.False);
    }

    [Test]
    public async Task After_the_primarys_server_is_killed_repmgrd_promotes_the_standby_and_the_old_primary_rejoins_it_through_pg_rewind()
    {
        await using var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions());
        await using var router = new ToxiproxyLinkRouter(proxy.Client);
        await using var cluster = await StartAsync(router, new RepmgrSettings());
        var oldPrimary = cluster.Primary;
        var replica = cluster["replica1"];
        await ExecuteAsync(oldPrimary, "CREATE TABLE t (id int PRIMARY KEY)");
        await ExecuteAsync(oldPrimary, "INSERT INTO t VALUES (1)");
        Assert.That((await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(30))).Converged, Is.True);

        var killedAt = Stopwatch.StartNew();
        await oldPrimary.KillAsync();
        var promoted = await cluster.Observer.WaitForAsync(o => o.Cluster?.Leader == replica.Name && o.Servers.TryGetValue(replica.Name, out var s) && !s.InRecovery, TimeSpan.FromSeconds(45));
        TestContext.Out.WriteLine($"repmgr listed {replica.Name} as primary {killedAt.Elapsed.TotalSeconds:0.0}s after the kill");
        Assert.That(promoted, Is.True, $"no promotion; changes: {string.Join("; ", cluster.Observer.Changes.Select(c => c.Evidence))}; repmgrd: {replica.Server.Repmgrd.LogTail()}");
        Assert.That(cluster.Observer.Changes.Any(c => c.Kind == RoleChangeKind.Promoted && c.Node == replica.Name), Is.True);
        Assert.That(cluster.Observer.Changes.Any(c => c.Kind == RoleChangeKind.LeaderChanged && c.From == oldPrimary.Name && c.To == replica.Name), Is.True);
        Assert.That(oldPrimary.IsRunning, Is.False, "repmgrd does not restart a killed server");
        Assert.That(cluster.Primary, Is.SameAs(replica));
        await ExecuteAsync(replica, "INSERT INTO t VALUES (2)");

        var rejoinedAt = Stopwatch.StartNew();
        await oldPrimary.RejoinAsync();
        TestContext.Out.WriteLine($"rejoin {rejoinedAt.Elapsed.TotalSeconds:0.0}s");
        var status = await oldPrimary.GetStatusAsync();
        Assert.That(status.Role, Is.EqualTo(NodeRole.Replica));
        Assert.That(status.WalReceiver?.SenderPort, Is.EqualTo(router["peers->replica1"].Listen.Port), "the rejoined node streams through the new primary's peers link");
        Assert.That(await cluster.Observer.WaitForAsync(o => o.Cluster?[oldPrimary.Name]?.Role == "standby", TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(cluster.Observer.Changes.Any(c => c.Kind == RoleChangeKind.Demoted && c.Node == oldPrimary.Name), Is.True, "the old primary shows as demoted once it answers in recovery");
        var converged = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        Assert.That(converged.Converged, Is.True, () => string.Join("; ", converged.Replicas.Select(r => $"{r.Node}: {r.Problem}")));
        Assert.That(await ScalarAsync<long>(oldPrimary, "SELECT count(*) FROM t", DatabaseRole.Superuser), Is.EqualTo(2), "the rejoined node has the write made after the failover");
        Assert.That(oldPrimary.ManagerIsRunning, Is.True);
    }

    [Test]
    public async Task A_standby_cut_off_from_both_the_primary_and_the_witness_does_not_promote_itself()
    {
        await using var proxy = await ToxiproxyProvider.AcquireAsync(new ToxiproxyProviderOptions());
        await using var router = new ToxiproxyLinkRouter(proxy.Client);
        await using var cluster = await StartAsync(router, new RepmgrSettings { Witness = true });
        var faults = new LinkFaults(router);
        await faults.PartitionAsync("peers->primary", LinkDirection.Both);
        await faults.PartitionAsync("replica1->witness", LinkDirection.Both);

        // repmgrd gives up on the primary after reconnect_attempts x reconnect_interval (2 s); give it five times that.
        var promoted = await cluster.Observer.WaitForAsync(o => o.WritableServers.Contains("replica1"), TimeSpan.FromSeconds(10));
        var log = string.Join('\n', File.ReadLines(cluster["replica1"].Server.Repmgrd.LogFile).Where(l => !l.Contains("ping", StringComparison.Ordinal)).TakeLast(25));
        TestContext.Out.WriteLine(log);
        Assert.That(promoted, Is.False, $"replica1 promoted itself without seeing the witness; changes: {string.Join("; ", cluster.Observer.Changes.Select(c => c.Evidence))}");
        Assert.That(log, Does.Contain("primary"), "replica1's repmgrd noticed the primary was gone");
        await faults.HealAsync();
    }

    private static Task<RepmgrCluster> StartAsync(ILinkRouter router, RepmgrSettings settings) =>
        RepmgrCluster.StartAsync(
            ClusterSpec.CreateBuilder().WithReplicas(1).WithPgBinDirectory(PgBin).Build(),
            new RepmgrClusterOptions { LinkRouter = router, Settings = settings, ReadyTimeout = TimeSpan.FromSeconds(120) });

    /// <summary>Processes whose command line names the run's work directory: its servers (postgres -D) and repmgrds (-f).</summary>
    private static List<int> ProcessesUnder(string workDirectory) =>
        [.. ProcessTable.All().Where(p => ProcessTable.CommandLine(p).Contains(workDirectory + "/", StringComparison.Ordinal))];

    /// <summary>The local addresses of the TCP sockets <paramref name="pids"/> listen on, as <c>ip:port</c>.</summary>
    private static List<string> ListeningAddresses(IEnumerable<int> pids)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pid in pids)
        {
            try
            {
                foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    {
                        inodes.Add(target[8..^1]);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited meanwhile.
            }
        }

        var addresses = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var fields in File.ReadLines(table).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                // st 0A is LISTEN; field 9 is the inode.
                if (fields[3] == "0A" && inodes.Contains(fields[9]))
                {
                    addresses.Add(Address(fields[1], table.EndsWith('6')));
                }
            }
        }

        return addresses;
    }

    private static string Address(string hex, bool v6)
    {
        var (ip, port) = (hex.Split(':')[0], int.Parse(hex.Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        if (v6)
        {
            return $"[{ip}]:{port}";
        }

        var bytes = Convert.FromHexString(ip);
        Array.Reverse(bytes);
        return $"{new System.Net.IPAddress(bytes)}:{port}";
    }
}
