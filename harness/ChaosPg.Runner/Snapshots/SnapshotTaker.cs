using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core;
using ChaosPg.Core.Snapshots;
using ChaosPg.Runner.Workloads;
using Npgsql;
using NpgsqlTypes;

namespace ChaosPg.Runner.Snapshots;

/// <summary>
/// Reads every node's final state over a direct superuser connection (never through a link): role, timeline, LSNs,
/// every stored write id and a digest of the workload table's full contents. A node that cannot be read is recorded
/// unreachable with the reason.
/// </summary>
public static class SnapshotTaker
{
    private const string StatusSql =
        "select pg_is_in_recovery(), "
        + "case when pg_is_in_recovery() then null else pg_current_wal_lsn() end, "
        + "case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else pg_current_wal_flush_lsn() end, "
        + "pg_last_wal_replay_lsn(), "

        // A primary's timeline is that of the WAL it writes now; a standby's the one it receives (or last checkpointed).
        + "case when pg_is_in_recovery() "
        + "then coalesce((select received_tli from pg_stat_wal_receiver), (select timeline_id from pg_control_checkpoint())) "
        + "else ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int end";

    /// <summary>
    /// Snapshots the nodes, the final primary first so replicas read afterwards cannot look behind WAL the primary
    /// wrote later in the background.
    /// </summary>
    public static async Task<FinalState> TakeAsync(
        IReadOnlyList<(string Node, string SuperuserConnectionString)> nodes,
        string finalPrimary,
        long atMicros,
        string kind,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var schema = WorkloadSchema.For(kind);
        var ordered = nodes.OrderBy(n => string.Equals(n.Node, finalPrimary, StringComparison.Ordinal) ? 0 : 1).ToList();
        var snapshots = ImmutableArray.CreateBuilder<NodeSnapshot>(ordered.Count);
        foreach (var (node, connectionString) in ordered)
        {
            snapshots.Add(await TakeNodeAsync(node, connectionString, schema, cancellationToken).ConfigureAwait(false));
        }

        return new FinalState(finalPrimary, atMicros, snapshots.MoveToImmutable());
    }

    private static async Task<NodeSnapshot> TakeNodeAsync(string node, string connectionString, WorkloadSchema schema, CancellationToken cancellationToken)
    {
        try
        {
            var connection = new NpgsqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

                // One snapshot for all three statements: ids, digest and LSNs describe the same state.
                var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var (role, current, flush, replay, timeline) = await ReadStatusAsync(connection, cancellationToken).ConfigureAwait(false);
                    var ids = ImmutableArray.CreateBuilder<string>();
                    // A list-append table holds keys, not single writes: no ids, but the digest still compares the lists.
                    if (schema.HasWriteIds)
                    {
                        await foreach (var id in QueryAsync(connection, $"select write_id from {schema.Table}", r => r.GetString(0), cancellationToken).ConfigureAwait(false))
                        {
                            ids.Add(id);
                        }
                    }

                    var digest = await ScalarAsync<string>(connection, schema.DigestSql, cancellationToken).ConfigureAwait(false);
                    return new NodeSnapshot(node, true, role, timeline, current, flush, replay, ids.ToImmutable(), digest);
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return NodeSnapshot.Unreachable(node, e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message);
        }
    }

    private static async Task<(NodeRole Role, Lsn? Current, Lsn? Flush, Lsn? Replay, int? Timeline)> ReadStatusAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await foreach (var status in QueryAsync(
            connection,
            StatusSql,
            r => (r.GetBoolean(0) ? NodeRole.Replica : NodeRole.Primary, LsnAt(r, 1), LsnAt(r, 2), LsnAt(r, 3), r.IsDBNull(4) ? (int?)null : Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false))
        {
            return status;
        }

        throw new InvalidOperationException("the status query returned no row");
    }

    private static Lsn? LsnAt(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new Lsn((ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(ordinal));

    private static async IAsyncEnumerable<T> QueryAsync<T>(
        NpgsqlConnection connection,
        string sql,
        Func<NpgsqlDataReader, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return map(reader);
                }
            }
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }
}
