using System.Collections.Immutable;
using System.Diagnostics;
using Npgsql;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// Polls a managed cluster (Patroni's <c>/cluster</c> from whichever REST API answers first, and each node's
/// <c>pg_is_in_recovery()</c> and timeline over the harness's direct connection) and keeps the role changes that
/// <see cref="RoleChangeDetector"/> finds between successive observations. Disposal stops the polling.
/// </summary>
public sealed class PatroniObserver : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(1);
    private readonly PatroniCluster cluster;
    private readonly TimeSpan interval;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private ImmutableList<RoleChange> changes = [];
    private ManagerObservation? latest;
    private ManagerObservation? known;
    private Task? loop;
    private int disposed;

    internal PatroniObserver(PatroniCluster cluster, TimeSpan interval)
    {
        this.cluster = cluster;
        this.interval = interval;
    }

    /// <summary>Raised (on the polling task) for each role change as it is found.</summary>
    public event Action<RoleChange>? RoleChanged;

    /// <summary>Every role change found so far, in order.</summary>
    public ImmutableList<RoleChange> Changes
    {
        get
        {
            lock (gate)
            {
                return changes;
            }
        }
    }

    /// <summary>The latest observation as taken: a node that did not answer is missing from it.</summary>
    public ManagerObservation? Latest
    {
        get
        {
            lock (gate)
            {
                return latest;
            }
        }
    }

    /// <summary>The latest Patroni view any REST API gave (the last one, while none answers).</summary>
    public PatroniClusterView? LatestView
    {
        get
        {
            lock (gate)
            {
                return known?.Cluster;
            }
        }
    }

    /// <summary>Takes one observation now and records its changes; the polling loop calls this too.</summary>
    public async Task<ManagerObservation> ObserveAsync(CancellationToken cancellationToken = default)
    {
        var at = DateTimeOffset.UtcNow;
        var view = await FirstClusterViewAsync(cancellationToken).ConfigureAwait(false);
        var servers = await Task.WhenAll(cluster.Nodes.Select(async node => (node.Name, Server: await TryServerAsync(node, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        var observation = new ManagerObservation(
            at,
            view,
            servers.Where(s => s.Server is not null).ToImmutableDictionary(s => s.Name, s => s.Server!, StringComparer.Ordinal));
        ImmutableArray<RoleChange> found;
        lock (gate)
        {
            // Polls may overlap (the loop and a caller's wait): an older observation never overwrites a newer one.
            if (latest is not null && latest.At > observation.At)
            {
                return observation;
            }

            var carried = observation.CarryForward(known);
            found = RoleChangeDetector.Detect(known, carried);
            known = carried;
            latest = observation;
            changes = changes.AddRange(found);
        }

        foreach (var change in found)
        {
            RoleChanged?.Invoke(change);
        }

        return observation;
    }

    /// <summary>Polls until <paramref name="condition"/> holds for an observation; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForAsync(Func<ManagerObservation, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var observation = await ObserveAsync(cancellationToken).ConfigureAwait(false);
            if (condition(observation))
            {
                return true;
            }

            if (stopwatch.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stop.Dispose();
    }

    internal void Start() => loop = Task.Run(() => PollAsync(stop.Token));

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ObserveAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<PatroniClusterView?> FirstClusterViewAsync(CancellationToken cancellationToken)
    {
        // Asked of every node at once: a paused Patroni holds its request to the timeout, and must not delay the rest.
        var pending = cluster.Nodes.Select(n => cluster.Rest.TryGetClusterAsync(n.RestEndpoint, AnswerTimeout, cancellationToken)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (await done.ConfigureAwait(false) is { } view)
            {
                return view;
            }
        }

        return null;
    }

    private static async Task<ServerObservation?> TryServerAsync(PatroniNode node, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(AnswerTimeout);
        try
        {
            var connection = await NodeSql.OpenAsync(node, limit.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = new NpgsqlCommand(
                    """
                    SELECT pg_is_in_recovery(),
                           CASE WHEN pg_is_in_recovery()
                                THEN greatest((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))
                                ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END
                    """,
                    connection);
                var reader = await command.ExecuteReaderAsync(limit.Token).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(limit.Token).ConfigureAwait(false);
                    return new ServerObservation(reader.GetBoolean(0), reader.GetInt32(1));
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
