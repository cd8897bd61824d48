using System.Collections.Immutable;
using Npgsql;

namespace ChaosPg.Cluster;

/// <summary>
/// The SQL every backend runs the same way on a node, over the harness's direct connection: status, promotion,
/// slots, and waiting for replicas to stream.
/// </summary>
internal static class NodeSql
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static Task<NpgsqlConnection> OpenAsync(IClusterNode node, CancellationToken cancellationToken) =>
        OpenAsync(node.GetConnectionString(DatabaseRole.Superuser), cancellationToken);

    /// <summary>An open connection; a failed open leaves nothing to dispose.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version the server reports, e.g. "15.8".</summary>
    public static async Task<string> ServerVersionAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(node, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var version = await ScalarAsync<string>(connection, "SHOW server_version", cancellationToken).ConfigureAwait(false);
            // Debian builds say "15.8 (Debian 15.8-0+deb12u1)".
            return version.Split(' ', 2)[0];
        }
    }

    /// <summary>pg_promote and wait; then forget the standby settings, so a restart keeps the node a primary.</summary>
    public static async Task PromoteAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(node, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await ScalarAsync<bool>(connection, "SELECT pg_promote(wait => true, wait_seconds => 60)", cancellationToken).ConfigureAwait(false) is false
                || await ScalarAsync<bool>(connection, "SELECT pg_is_in_recovery()", cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{node.Name} did not leave recovery after pg_promote");
            }

            await ExecuteAsync(connection, "ALTER SYSTEM RESET primary_conninfo; ALTER SYSTEM RESET primary_slot_name; SELECT pg_reload_conf()", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Leaves <paramref name="primary"/> waiting for exactly <paramref name="standbys"/> (the nodes that stream, or are
    /// about to stream, from it) as <see cref="ClusterSpec.SyncAfterPromotion"/> says, and returns once the setting is
    /// in effect: without this a promoted node keeps the initial list, names itself and the dead primary, and every
    /// commit waits for a standby that never comes. Returns the mode that setting puts the node in (async when it
    /// names nobody). Does nothing to an async cluster.
    /// </summary>
    public static async Task<ReplicationMode> ConfigureSynchronousStandbysAsync(ClusterSpec spec, IClusterNode primary, IEnumerable<string> standbys, CancellationToken cancellationToken)
    {
        if (spec.ReplicationMode == ReplicationMode.Async)
        {
            return ReplicationMode.Async;
        }

        var value = spec.SynchronousStandbyNamesFor(standbys);
        var connection = await OpenAsync(primary, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // ALTER SYSTEM takes no parameters; the value is a literal, quoted.
            await ExecuteAsync(connection, $"ALTER SYSTEM SET synchronous_standby_names = '{value.Replace("'", "''", StringComparison.Ordinal)}'; SELECT pg_reload_conf()", cancellationToken).ConfigureAwait(false);
        }

        // pg_reload_conf only signals: wait until a new session sees the value, so what follows runs under it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var check = await OpenAsync(primary, cancellationToken).ConfigureAwait(false);
            await using (check.ConfigureAwait(false))
            {
                var current = await ScalarAsync<string>(check, "SHOW synchronous_standby_names", cancellationToken).ConfigureAwait(false);
                if (current == value)
                {
                    return value.Length == 0 ? ReplicationMode.Async : spec.ReplicationMode;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{primary.Name} still has synchronous_standby_names '{current}' 10s after it was set to '{value}'");
                }
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the physical slot <paramref name="slot"/> on <paramref name="upstream"/> unless it exists.</summary>
    public static async Task CreateSlotAsync(IClusterNode upstream, string slot, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(upstream, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(
                "SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = $1)",
                connection);
            command.Parameters.Add(new NpgsqlParameter { Value = slot });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What comes before pg_rewind of a former primary <paramref name="node"/> from <paramref name="primary"/>, in both
    /// backends: refuses the primary itself, stops the node, and checkpoints the source.
    /// </summary>
    public static async Task PrepareRewindAsync(IClusterNode node, IClusterNode primary, CancellationToken cancellationToken)
    {
        if (primary == node)
        {
            throw new InvalidOperationException($"{node.Name} is the primary; promote another node before rejoining it");
        }

        await node.StopAsync(cancellationToken).ConfigureAwait(false);
        // pg_rewind reads the source's timeline from its control file, which a promotion updates only at the next
        // checkpoint; without one it sees the old timeline and wrongly decides no rewind is needed.
        var connection = await OpenAsync(primary, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, "CHECKPOINT", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the slots a rejoined former primary kept from its time as primary: left alone they pin old WAL.</summary>
    public static async Task DropInactiveSlotsAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(node, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until each of <paramref name="nodes"/> streams from <paramref name="upstream"/> with the spec's sync state.</summary>
    public static Task WaitForStreamingAsync(ClusterSpec spec, IClusterNode upstream, IReadOnlyCollection<string> nodes, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForStreamingAsync(spec.ReplicationMode, upstream, nodes, timeout, cancellationToken);

    /// <summary>
    /// Waits until each of <paramref name="nodes"/> streams from <paramref name="upstream"/> with the sync state that
    /// <paramref name="mode"/> gives it: the mode the upstream's synchronous_standby_names is in now, which after a
    /// promotion may be async (no standby named).
    /// </summary>
    public static async Task WaitForStreamingAsync(ReplicationMode mode, IClusterNode upstream, IReadOnlyCollection<string> nodes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (true)
        {
            try
            {
                var connection = await OpenAsync(upstream, cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    while (true)
                    {
                        var rows = await ReplicationStatesAsync(connection, cancellationToken).ConfigureAwait(false);
                        last = rows.Count == 0 ? "no standby connected" : string.Join(", ", rows.Select(r => $"{r.Key}={r.Value.State}/{r.Value.SyncState}"));
                        if (nodes.All(n => rows.TryGetValue(n, out var row) && row.State == "streaming" && IsExpectedSyncState(mode, row.SyncState))
                            && (mode != ReplicationMode.Sync || rows.Values.Any(r => r.SyncState == "sync")))
                        {
                            return;
                        }

                        ThrowIfPast(deadline, timeout, upstream, last);
                        await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (NpgsqlException)
            {
                // The upstream may still be coming up; retry until the deadline.
                ThrowIfPast(deadline, timeout, upstream, last);
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A snapshot of role, timeline, LSNs, the standbys streaming from <paramref name="node"/> and its WAL receiver.</summary>
    public static async Task<NodeStatus> StatusAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(node, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            bool inRecovery;
            int? writeTimeline;
            int checkpointTimeline;
            ulong? current, receive, replay;
            using (var command = new NpgsqlCommand(
                """
                SELECT pg_is_in_recovery(),
                       CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn() - '0/0' END,
                       pg_last_wal_receive_lsn() - '0/0',
                       pg_last_wal_replay_lsn() - '0/0',
                       CASE WHEN NOT pg_is_in_recovery() THEN ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
                       (SELECT timeline_id FROM pg_control_checkpoint())
                """,
                connection))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    inRecovery = reader.GetBoolean(0);
                    current = Lsn(reader, 1);
                    receive = Lsn(reader, 2);
                    replay = Lsn(reader, 3);
                    writeTimeline = reader.IsDBNull(4) ? null : reader.GetInt32(4);
                    checkpointTimeline = reader.GetInt32(5);
                }
            }

            var replication = ImmutableArray.CreateBuilder<ReplicationConnectionStatus>();
            using (var command = new NpgsqlCommand(
                """
                SELECT application_name, state, sync_state, sent_lsn - '0/0', write_lsn - '0/0', flush_lsn - '0/0', replay_lsn - '0/0',
                       write_lag, flush_lag, replay_lag
                FROM pg_stat_replication ORDER BY application_name
                """,
                connection))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        replication.Add(new ReplicationConnectionStatus(
                            reader.GetString(0), reader.GetString(1), reader.GetString(2),
                            Lsn(reader, 3), Lsn(reader, 4), Lsn(reader, 5), Lsn(reader, 6),
                            Lag(reader, 7), Lag(reader, 8), Lag(reader, 9)));
                    }
                }
            }

            WalReceiverStatus? receiver = null;
            using (var command = new NpgsqlCommand(
                "SELECT status, received_tli, flushed_lsn - '0/0', sender_host, sender_port, slot_name FROM pg_stat_wal_receiver",
                connection))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        receiver = new WalReceiverStatus(
                            reader.GetString(0),
                            reader.GetInt32(1),
                            Lsn(reader, 2),
                            reader.IsDBNull(3) ? null : reader.GetString(3),
                            reader.IsDBNull(4) ? null : reader.GetInt32(4),
                            reader.IsDBNull(5) ? null : reader.GetString(5));
                    }
                }
            }

            // A replica's checkpoint timeline lags a timeline switch until its next restartpoint; what it receives does not.
            var timeline = writeTimeline ?? (receiver is { ReceivedTimeline: > 0 } r ? Math.Max(r.ReceivedTimeline, checkpointTimeline) : checkpointTimeline);
            return new NodeStatus(node.Name, inRecovery ? NodeRole.Replica : NodeRole.Primary, timeline, current, receive, replay, replication.ToImmutable(), receiver);
        }
    }

    private static bool IsExpectedSyncState(ReplicationMode mode, string syncState) => mode switch
    {
        ReplicationMode.Sync => syncState is "sync" or "potential",
        ReplicationMode.Quorum => syncState == "quorum",
        _ => syncState == "async",
    };

    private static async Task<Dictionary<string, (string State, string SyncState)>> ReplicationStatesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand("SELECT application_name, state, sync_state FROM pg_stat_replication", connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var rows = new Dictionary<string, (string, string)>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }

            return rows;
        }
    }

    private static void ThrowIfPast(DateTime deadline, TimeSpan timeout, IClusterNode upstream, string last)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"replicas did not stream from {upstream.Name} within {timeout.TotalSeconds:0}s (last seen: {last})");
        }
    }

    private static ulong? Lsn(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (ulong)reader.GetDecimal(ordinal);

    private static TimeSpan? Lag(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetTimeSpan(ordinal);
}
