using ChaosPg.Cluster.Managers.Common;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// A run's own etcd 3.4 (the DCS Patroni keeps its leader key in): one or three members on per-run 127.0.0.1 ports,
/// data under the run's work directory, run as the server user. Never the system service, never the default ports.
/// Disposal stops every member; the data goes with the run's work directory.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly ImmutableArray<ManagedProcess> processes;
    private int disposed;

    private EtcdCluster(EtcdOptions options, ImmutableArray<EtcdMember> members)
    {
        Members = members;
        var initialCluster = string.Join(',', members.Select(m => $"{m.Name}={m.PeerUrl}"));
        processes = [.. members.Select(m => new ManagedProcess(
            m.Name,
            options.User,
            options.Binary,
            [
                "--name", m.Name,
                "--data-dir", m.DataDirectory,
                "--listen-client-urls", m.ClientUrl,
                "--advertise-client-urls", m.ClientUrl,
                "--listen-peer-urls", m.PeerUrl,
                "--initial-advertise-peer-urls", m.PeerUrl,
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", options.ClusterToken,
                "--initial-cluster-state", "new",
                "--logger", "zap",
                "--log-outputs", "stderr",
                .. ElectionFlags(members.Length),
            ],
            Path.Combine(options.LogDirectory, m.Name + ".log")))];
    }

    /// <summary>The members, in order.</summary>
    public ImmutableArray<EtcdMember> Members { get; }

    /// <summary>The pids of the members that run, for the run's owner file.</summary>
    public IEnumerable<(string Name, int Pid, long StartTime)> RunningProcesses =>
        processes.Where(p => p.Pid is not null).Select(p => (p.Name, p.Pid!.Value, p.StartTime));

    /// <summary>The process of member <paramref name="index"/> (from 0), for the schedule's faults on the DCS.</summary>
    internal ManagedProcess Process(int index) => processes[index];

    /// <summary>The log files of the members.</summary>
    public IEnumerable<string> LogFiles => processes.Select(p => p.LogFile);

    /// <summary>Starts the members and returns once each reports healthy; stops them again on failure.</summary>
    public static async Task<EtcdCluster> StartAsync(EtcdOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Members is not (1 or 3))
        {
            throw new ClusterConfigurationException($"etcd members must be 1 or 3, got {options.Members}");
        }

        Directory.CreateDirectory(options.LogDirectory);
        var root = Path.Combine(options.WorkDirectory, "etcd");
        Directory.CreateDirectory(root);
        options.User.Own(root);
        for (var attempt = 1; ; attempt++)
        {
            var members = ImmutableArray.CreateRange(Enumerable.Range(1, options.Members).Select(i => new EtcdMember(
                $"etcd{i}",
                new LinkEndpoint("127.0.0.1", LoopbackPorts.Free()),
                new LinkEndpoint("127.0.0.1", LoopbackPorts.Free()),
                Path.Combine(root, $"etcd{i}"))));
            foreach (var member in members)
            {
                PrivateFiles.NewDirectory(member.DataDirectory, options.User);
            }

            var etcd = new EtcdCluster(options, members);
            try
            {
                foreach (var process in etcd.processes)
                {
                    process.Start();
                }

                await etcd.WaitHealthyAsync(options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
                return etcd;
            }
            catch (NodeStartException) when (attempt < 3 && etcd.processes.Any(p => p.HasExited))
            {
                // A port was taken between choosing it and etcd binding it: try again on new ports.
                await etcd.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await etcd.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Whether <paramref name="member"/> answers <c>/health</c> with <c>"health": "true"</c>.</summary>
    public static async Task<bool> IsHealthyAsync(EtcdMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var body = await http.GetStringAsync(new Uri(member.ClientUrl + "/health"), cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("health", out var health) && health.GetString() == "true";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="key"/> exists, asked of the first member (etcd's v3 JSON gateway); false while no member answers.</summary>
    public async Task<bool> HasKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var request = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)),
            ["count_only"] = true,
        });
        try
        {
            using var content = new StringContent(request, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(Members[0].ClientUrl + "/v3/kv/range"), content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            // int64 fields come as strings in etcd's JSON, and a zero count is left out.
            return json.RootElement.TryGetProperty("count", out var count) && count.GetString() is { } text && text != "0";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Stops every member (SIGTERM, then SIGKILL); safe twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>
    /// A lone member elects itself leader after its election timeout (1 s by default): 100 ms gets it serving sooner.
    /// With one member nothing else changes (no peer to send heartbeats to, no one to lose an election to). Three members
    /// keep etcd's defaults: shorter timeouts on a loaded host would make them lose and re-elect leaders under Patroni.
    /// </summary>
    private static string[] ElectionFlags(int members) =>
        members == 1 ? ["--heartbeat-interval", "20", "--election-timeout", "100"] : [];

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new NodeStartException($"{exited.Name} exited with code {exited.ExitCode} during start; last lines of {exited.LogFile}:\n{exited.LogTail()}");
            }

            var health = await Task.WhenAll(Members.Select(m => IsHealthyAsync(m, cancellationToken))).ConfigureAwait(false);
            if (health.All(h => h))
            {
                return;
            }

            if (stopwatch.Elapsed > timeout)
            {
                var sick = Members.Where((_, i) => !health[i]).First();
                var process = processes.First(p => p.Name == sick.Name);
                throw new NodeStartException($"{sick.Name} did not report healthy within {timeout.TotalSeconds:0}s; last lines of {process.LogFile}:\n{process.LogTail()}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
