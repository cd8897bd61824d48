using System.Collections.Immutable;
using System.Diagnostics;
using Npgsql;

namespace ChaosPg.Cluster;

/// <summary>
/// Polls a cluster until every running replica streams from the current primary and has replayed the WAL the
/// primary had when the wait began. Connections go straight to the nodes, never through links.
/// </summary>
internal static class ConvergenceWaiter
{
    // The template is initdb'd with the default WAL page and segment sizes, and the harness never changes them.
    private const ulong WalBlockSize = 8192;
    private const ulong WalSegmentSize = 16 * 1024 * 1024;
    private const ulong ShortPageHeaderSize = 24;
    private const ulong LongPageHeaderSize = 40;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan NodeAnswerTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ConvergenceResult> WaitAsync(IReplicatedCluster cluster, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero);
        var stopwatch = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(deadline);
        var primary = cluster.Primary;
        // A deposed primary that has not rejoined streams from nobody and is not a replica; a killed node is not running.
        var replicas = cluster.Nodes.Where(n => n != primary && n.Upstream is not null && n.IsRunning).ToList();
        (ulong Lsn, int Timeline)? target = null;
        string? problem = null;
        ImmutableArray<ReplicaConvergence> last = [.. replicas.Select(r => new ReplicaConvergence(r.Name, r.Upstream?.Name, false, null, null, false, "not polled yet"))];
        while (true)
        {
            try
            {
                target ??= await ReadTargetAsync(primary, limit.Token).ConfigureAwait(false);
                problem = null;
                var polls = await Task.WhenAll(replicas.Select(r => PollAsync(r, primary, target.Value, limit.Token))).ConfigureAwait(false);
                last = [.. polls];
                if (last.All(r => r.Converged))
                {
                    return new ConvergenceResult(true, stopwatch.Elapsed, primary.Name, target.Value.Lsn, last, null);
                }
            }
            catch (NpgsqlException exception)
            {
                problem = $"could not read the WAL position of {primary.Name}: {exception.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline passed in the middle of a poll.
            }

            if (limit.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new ConvergenceResult(false, stopwatch.Elapsed, primary.Name, target?.Lsn, last, problem);
            }

            await Task.Delay(PollInterval, limit.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The end of the last WAL record before <paramref name="insertLsn"/>. Right after a record that ends exactly at
    /// a page boundary, the insert position points past the next page's header, which no replica replays until more
    /// WAL comes; without this the wait could miss convergence on an idle primary.
    /// </summary>
    internal static ulong EndOfLastRecord(ulong insertLsn)
    {
        if (insertLsn % WalSegmentSize == LongPageHeaderSize)
        {
            return insertLsn - LongPageHeaderSize;
        }

        return insertLsn % WalBlockSize == ShortPageHeaderSize ? insertLsn - ShortPageHeaderSize : insertLsn;
    }

    // The insert position, not pg_current_wal_lsn(): with synchronous_commit off an acknowledged commit may be
    // inserted and not yet written, and it belongs to what the replicas must have.
    private static async Task<(ulong Lsn, int Timeline)> ReadTargetAsync(IClusterNode primary, CancellationToken cancellationToken)
    {
        var connection = await NodeSql.OpenAsync(primary, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(
                "SELECT pg_current_wal_insert_lsn() - '0/0', ('x' || substr(pg_walfile_name(pg_current_wal_insert_lsn()), 1, 8))::bit(32)::int",
                connection);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (EndOfLastRecord((ulong)reader.GetDecimal(0)), reader.GetInt32(1));
            }
        }
    }

    private static async Task<ReplicaConvergence> PollAsync(IClusterNode replica, IClusterNode primary, (ulong Lsn, int Timeline) target, CancellationToken cancellationToken)
    {
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(NodeAnswerTimeout);
        var upstream = replica.Upstream?.Name;
        try
        {
            var connection = await NodeSql.OpenAsync(replica, answer.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = new NpgsqlCommand(
                    "SELECT pg_last_wal_replay_lsn() - '0/0', (SELECT status FROM pg_stat_wal_receiver), (SELECT received_tli FROM pg_stat_wal_receiver)",
                    connection);
                var reader = await command.ExecuteReaderAsync(answer.Token).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(answer.Token).ConfigureAwait(false);
                    ulong? replay = reader.IsDBNull(0) ? null : (ulong)reader.GetDecimal(0);
                    // The timeline check catches a receiver still streaming from a deposed primary until it rereads
                    // its configuration: that one's WAL may be further along, but on the old timeline.
                    var streaming = replica.Upstream == primary
                        && !reader.IsDBNull(1) && reader.GetString(1) == "streaming"
                        && !reader.IsDBNull(2) && reader.GetInt32(2) == target.Timeline;
                    ulong? lag = replay is { } r ? (r >= target.Lsn ? 0 : target.Lsn - r) : null;
                    return new ReplicaConvergence(replica.Name, upstream, streaming, replay, lag, streaming && lag == 0, null);
                }
            }
        }
        catch (NpgsqlException exception)
        {
            return new ReplicaConvergence(replica.Name, upstream, false, null, null, false, exception.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ReplicaConvergence(replica.Name, upstream, false, null, null, false, $"no answer within {NodeAnswerTimeout.TotalSeconds:0} s (paused?)");
        }
    }
}
