using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Runs;
using Npgsql;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// Samples pg_stat_replication on the current primary every <see cref="Interval"/> into replication.jsonl, on the
/// history's clock. A sample that fails (primary killed, paused, restarting) is skipped: the monitor never fails a run.
/// It keeps the latest round taken on each primary, so a promotion can be told how far behind its node was just before.
/// </summary>
public sealed class ReplicationMonitor : IAsyncDisposable
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    // A paused primary accepts the TCP connection and then says nothing: a sample must give up before the next is due.
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromMilliseconds(1000);

    private readonly IReplicatedCluster cluster;
    private readonly HistoryWriter history;
    private readonly ReplicationSampleWriter writer;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long maxReplayLagBytes = -1;
    private ImmutableDictionary<string, ReplicationRound> latestByPrimary = ImmutableDictionary<string, ReplicationRound>.Empty.WithComparers(StringComparer.Ordinal);
    private int disposed;

    private ReplicationMonitor(IReplicatedCluster cluster, HistoryWriter history, ReplicationSampleWriter writer)
    {
        this.cluster = cluster;
        this.history = history;
        this.writer = writer;
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>The largest replay lag of the latest successful sample, or null before the first one.</summary>
    public long? MaxReplayLagBytes => Interlocked.Read(ref maxReplayLagBytes) is var lag and >= 0 ? lag : null;

    /// <summary>The latest round taken on a primary other than <paramref name="node"/>: the last observation of it as a replica before it was promoted.</summary>
    public ReplicationRound? LastRoundWithout(string node) =>
        Volatile.Read(ref latestByPrimary).Values.Where(r => r.Primary != node).MaxBy(r => r.AtMicros);

    /// <summary>Starts sampling <paramref name="cluster"/> into <paramref name="path"/>.</summary>
    public static ReplicationMonitor Start(IReplicatedCluster cluster, HistoryWriter history, string path)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(history);
        return new ReplicationMonitor(cluster, history, ReplicationSampleWriter.Create(path));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await writer.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            using var sample = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            sample.CancelAfter(SampleTimeout);
            try
            {
                await SampleAsync(sample.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException or IOException or ObjectDisposedException)
            {
                // A sample lost to a fault is a gap in the chart, never a failed run.
            }
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var primary = cluster.Primary;
        var status = await primary.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var at = history.ElapsedMicros;
        long max = 0;
        var samples = ImmutableArray.CreateBuilder<ReplicationSample>();
        foreach (var node in cluster.Nodes)
        {
            if (node.Name == primary.Name)
            {
                continue;
            }

            var row = status.Replication.FirstOrDefault(r => r.ApplicationName == node.Name);
            long? lagBytes = row?.ReplayLsn is { } replay && status.CurrentWalLsn is { } current
                ? (long)(current >= replay ? current - replay : 0)
                : null;
            max = Math.Max(max, lagBytes ?? 0);
            var sample = new ReplicationSample(
                at,
                node.Name,
                node.IsRunning ? "replica" : "down",
                lagBytes,
                row?.ReplayLag?.TotalMilliseconds,
                row?.State ?? "disconnected");
            writer.Append(sample);
            samples.Add(sample);
        }

        var round = new ReplicationRound(at, primary.Name, samples.ToImmutable(), (cluster as IManagedCluster)?.LatestView);
        ImmutableInterlocked.AddOrUpdate(ref latestByPrimary, primary.Name, round, (_, _) => round);

        Interlocked.Exchange(ref maxReplayLagBytes, max);
    }
}
