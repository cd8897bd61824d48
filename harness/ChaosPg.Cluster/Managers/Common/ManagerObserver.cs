using System.Collections.Immutable;
using System.Diagnostics;
using Npgsql;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>
/// Polls a managed cluster (the manager's view, from <c>readView</c>: Patroni's <c>/cluster</c>, repmgr's or
/// pg_auto_failover's node lists; and each node's <c>pg_is_in_recovery()</c> and timeline over the harness's direct
/// connection) and keeps the role changes that <see cref="RoleChangeDetector"/> finds between successive
/// observations. Disposal stops the polling.
/// </summary>
public sealed class ManagerObserver : IAsyncDisposable
{
    private readonly ImmutableArray<IClusterNode> nodes;
    private readonly Func<CancellationToken, Task<ManagerView?>> readView;
    private readonly TimeSpan interval;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private ImmutableList<RoleChange> changes = [];
    private ManagerObservation? latest;
    private ManagerObservation? known;
    private Task? loop;
    private int disposed;

    /// <param name="nodes">The nodes whose servers are polled.</param>
    /// <param name="readView">Reads the manager's view; null when it does not answer (within about a second).</param>
    /// <param name="interval">Between two polls of the loop.</param>
    public ManagerObserver(ImmutableArray<IClusterNode> nodes, Func<CancellationToken, Task<ManagerView?>> readView, TimeSpan interval)
    {
        this.nodes = nodes;
        this.readView = readView;
        this.interval = interval;
    }

    /// <summary>How long one node's server is given to answer a poll.</summary>
    public static TimeSpan AnswerTimeout { get; } = TimeSpan.FromSeconds(1);

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

    /// <summary>The latest view the manager gave (the last one, while it does not answer).</summary>
    public ManagerView? LatestView
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
        // The view and the servers are read at once: a manager that answers slowly (a paused leader holds its REST
        // call to the timeout) must not make a promotion the servers already show be seen a poll later.
        var reading = readView(cancellationToken);
        var polling = Task.WhenAll(nodes.Select(async node => (node.Name, Server: await AnswerWithinAsync(node, cancellationToken).ConfigureAwait(false))));
        var view = await reading.ConfigureAwait(false);
        var servers = await polling.ConfigureAwait(false);
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

    /// <summary>Starts the polling loop.</summary>
    public void Start() => loop = Task.Run(() => PollAsync(stop.Token));

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

    // A connect to a paused postmaster does not always heed its token (the startup handshake waits for the connect
    // timeout): the poll stops waiting at the answer timeout, and the abandoned attempt closes its connection when it ends.
    private static async Task<ServerObservation?> AnswerWithinAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        try
        {
            return await TryServerAsync(node, cancellationToken).WaitAsync(AnswerTimeout + AnswerTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static async Task<ServerObservation?> TryServerAsync(IClusterNode node, CancellationToken cancellationToken)
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
