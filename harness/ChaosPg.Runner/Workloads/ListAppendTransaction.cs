using System.Collections.Immutable;
using Bogus;
using ChaosPg.Core.Histories;
using Npgsql;

namespace ChaosPg.Runner.Workloads;

/// <summary>
/// Plans and runs list-append transactions. A key is a row of <c>chaos_lists (k int primary key, v int[])</c>; an
/// append is <c>insert ... on conflict (k) do update set v = chaos_lists.v || $2</c>, a read <c>select v ... where
/// k = $1</c> (no row: the empty list). Each transaction is sent as BEGIN with its isolation level, its micro-ops one
/// statement each, then COMMIT. Anything that fails before COMMIT is sent leaves nothing committed: fail (a deadlock, 40P01, among them: appends lock rows in any order). A failure
/// of the COMMIT itself is classified like an autocommit write (40001 is fail; a lost connection is indeterminate).
/// </summary>
public static class ListAppendTransaction
{
    /// <summary>The table every key lives in.</summary>
    public const string Table = "chaos_lists";

    /// <summary>The longest transaction a client plans, in micro-ops.</summary>
    public const int MaxMicroOps = 4;

    private const string AppendSql = $"insert into {Table} (k, v) values ($1, array[$2]) on conflict (k) do update set v = {Table}.v || $2";
    private const string ReadSql = $"select v from {Table} where k = $1";

    /// <summary>A transaction of 1..<see cref="MaxMicroOps"/> micro-ops; a read-only client plans only reads.</summary>
    public static ImmutableArray<MicroOp> Plan(Randomizer random, ListAppendKeys keys, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(keys);
        var count = random.Int(1, MaxMicroOps);
        var ops = ImmutableArray.CreateBuilder<MicroOp>(count);
        for (var i = 0; i < count; i++)
        {
            var slot = random.Int(0, keys.ActiveKeys - 1);
            if (!readOnly && random.Bool())
            {
                var (key, value) = keys.NextAppend(slot);
                ops.Add(MicroOp.Append(key, value));
            }
            else
            {
                ops.Add(MicroOp.Read(keys.KeyOf(slot)));
            }
        }

        return ops.MoveToImmutable();
    }

    /// <summary>BEGIN with the isolation level: "serializable", "repeatable-read" or "read-committed".</summary>
    public static string BeginSql(string isolation, bool readOnly) =>
        "begin isolation level " + isolation switch
        {
            "read-committed" => "read committed",
            "repeatable-read" => "repeatable read",
            "serializable" => "serializable",
            _ => throw new ArgumentOutOfRangeException(nameof(isolation), isolation, "expected read-committed, repeatable-read or serializable"),
        } + (readOnly ? " read only" : "");

    /// <summary>Runs the planned transaction; returns the micro-ops with read values, or throws with where it failed.</summary>
    /// <exception cref="ListAppendFailedException">A statement or the COMMIT failed; says which.</exception>
    public static async Task<ImmutableArray<MicroOp>> RunAsync(NpgsqlConnection connection, string begin, ImmutableArray<MicroOp> planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var done = ImmutableArray.CreateBuilder<MicroOp>(planned.Length);
        try
        {
            await ExecuteAsync(connection, begin, cancellationToken).ConfigureAwait(false);
            foreach (var op in planned)
            {
                if (op.Kind == MicroOpKind.Append)
                {
                    var append = new NpgsqlCommand(AppendSql, connection);
                    await using (append.ConfigureAwait(false))
                    {
                        append.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)op.Key) });
                        append.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)op.Value) });
                        await append.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    done.Add(op);
                }
                else
                {
                    var read = new NpgsqlCommand(ReadSql, connection);
                    await using (read.ConfigureAwait(false))
                    {
                        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)op.Key) });
                        var value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                        ImmutableArray<long> values = value is int[] list ? [.. list.Select(v => (long)v)] : [];
                        done.Add(MicroOp.Read(op.Key, values));
                    }
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            throw new ListAppendFailedException(atCommit: false, e);
        }

        try
        {
            await ExecuteAsync(connection, "commit", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            throw new ListAppendFailedException(atCommit: true, e);
        }

        return done.MoveToImmutable();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
