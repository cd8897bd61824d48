using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core;
using ChaosPg.Core.Histories;
using Npgsql;

namespace ChaosPg.Runner.Workloads;

/// <summary>
/// The clients of a run. Writers behave like an application with a multi-host connection string over every node's
/// client link (the original primary first, <c>Target Session Attributes=read-write</c>), so after a failover they
/// reconnect to whichever node accepts writes; each write is one autocommit INSERT. Readers are pinned round-robin
/// to nodes (replicas first) and read the high-water mark of their node. Every operation is recorded in the history
/// with the node the client was actually connected to.
/// </summary>
/// <example>
/// <code>
/// await Workload.PrepareSchemaAsync(primary.GetConnectionString(DatabaseRole.Superuser), "orders");
/// await using var workload = Workload.Create(options, history, nodes);
/// await workload.StartAsync();
/// // ... faults ...
/// await workload.StopAsync();
/// </code>
/// </example>
public sealed class Workload : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CancellationTimeout = TimeSpan.FromSeconds(2);
    // Without a client timeout an operation may wait forever (a commit waiting for a synchronous standby that is gone):
    // stopping waits this long for what is in flight before cancelling it.
    private static readonly TimeSpan StopWaitWithoutTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly WorkloadOptions options;
    private readonly HistoryWriter history;
    private readonly ImmutableArray<WorkloadNode> nodes;
    private readonly NpgsqlDataSource writeSource;
    private readonly ImmutableDictionary<string, NpgsqlDataSource> readSources;
    private readonly OperationPacer pacer;
    private readonly CancellationTokenSource issuing = new();
    private readonly CancellationTokenSource inFlight = new();
    private readonly List<Task> clients = [];
    private readonly TaskCompletionSource firstAcknowledgement = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ListAppendKeys listKeys = new();
    private long seq;
    private long writesOk, writesFailed, writesIndeterminate, readsOk, readsFailed, writeConnectFailures;
    private int disposed;

    private Workload(WorkloadOptions options, HistoryWriter history, ImmutableArray<WorkloadNode> nodes)
    {
        this.options = options;
        this.history = history;
        this.nodes = nodes;
        Schema = WorkloadSchema.For(options.Kind);
        pacer = new OperationPacer(options.Rate);
        // A scenario without client-timeout has clients that never cancel: a cancelled commit that waits for sync
        // replication is acknowledged with a warning, which is exactly what such a scenario must not do.
        CommandTimeoutSeconds = options.ClientTimeout is { } clientTimeout ? Math.Max(1, (int)Math.Ceiling(clientTimeout.TotalSeconds)) : 0;

        var writers = new NpgsqlConnectionStringBuilder(options.AppConnectionString)
        {
            Host = string.Join(",", nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.ClientHost}:{n.ClientPort}"))),
            // Npgsql refuses Target Session Attributes other than Any with one host; a single-node workload needs none.
            TargetSessionAttributes = nodes.Length > 1 ? "read-write" : null,

            // A node found down or read-only is retried after a second, not the default ten: failover is what we watch.
            HostRecheckSeconds = 1,
            MaxPoolSize = options.Writers + 2,
        };
        writeSource = NpgsqlDataSource.Create(Configure(writers).ConnectionString);
        readSources = nodes.ToImmutableDictionary(
            n => n.Name,
            n => NpgsqlDataSource.Create(Configure(new NpgsqlConnectionStringBuilder(options.AppConnectionString)
            {
                Host = n.ClientHost,
                Port = n.ClientPort,
                MaxPoolSize = options.Readers + 2,
            }).ConnectionString));
    }

    /// <summary>The table this workload writes (what a snapshot must read).</summary>
    public WorkloadSchema Schema { get; }

    /// <summary>The command timeout in whole seconds (Npgsql's unit), the client timeout rounded up; 0 (none) without one.</summary>
    public int CommandTimeoutSeconds { get; }

    /// <summary>Validates the options and prepares the clients; nothing connects before <see cref="StartAsync"/>.</summary>
    /// <param name="options">Kind, clients, rate, timeout, seed and app credentials.</param>
    /// <param name="history">Where every operation is recorded.</param>
    /// <param name="nodes">Every node with its client link endpoint, the original primary first.</param>
    public static Workload Create(WorkloadOptions options, HistoryWriter history, IReadOnlyList<WorkloadNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("the workload needs at least one node", nameof(nodes));
        }

        if (options.Writers < 0 || options.Readers < 0 || options.Writers + options.Readers == 0)
        {
            throw new ArgumentException($"writers {options.Writers} and readers {options.Readers}: expected at least one client", nameof(options));
        }

        return new Workload(options, history, [.. nodes]);
    }

    /// <summary>Creates the kind's table on the primary (idempotent), over a direct superuser connection.</summary>
    public static async Task PrepareSchemaAsync(string superuserConnectionString, string kind, CancellationToken cancellationToken = default)
    {
        var schema = WorkloadSchema.For(kind);
        var connection = new NpgsqlConnection(superuserConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand(schema.CreateSql, connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts every client; returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var transactions = !Schema.HasWriteIds;
        for (var i = 0; i < options.Writers; i++)
        {
            var index = i;
            clients.Add(Task.Run(() => transactions ? RunTransactionsAsync(index, null) : RunWriterAsync(index), CancellationToken.None));
        }

        // Readers go to replicas first, then the primary, round-robin.
        var order = nodes.Skip(1).Append(nodes[0]).ToImmutableArray();
        for (var i = 0; i < options.Readers; i++)
        {
            var index = i;
            var node = order[i % order.Length];
            clients.Add(Task.Run(() => transactions ? RunTransactionsAsync(index, node) : RunReaderAsync(index, node), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes when the first write is acknowledged (the first ok read when there are no writers): from then on the
    /// workload really runs, with connections open. A schedule timed from <see cref="StartAsync"/> instead would count
    /// the clients' first connects (seconds on a loaded machine) into the window before its first fault.
    /// </summary>
    public Task FirstAcknowledgement => firstAcknowledgement.Task;

    /// <summary>Counts of completed operations so far.</summary>
    public WorkloadStats Snapshot() => new(
        Interlocked.Read(ref writesOk),
        Interlocked.Read(ref writesFailed),
        Interlocked.Read(ref writesIndeterminate),
        Interlocked.Read(ref readsOk),
        Interlocked.Read(ref readsFailed),
        Interlocked.Read(ref writeConnectFailures));

    /// <summary>
    /// Stops issuing operations and waits for those in flight, at most a command timeout plus the cancellation
    /// timeout (2 s without a client timeout); then cancels them and waits two more seconds. Their completion lines
    /// say <c>cancelledAtStop</c>: whatever came back (a commit waiting for a synchronous standby comes back ok, with
    /// the warning), it came back only because of that cancel, and the availability checker counts it. An operation still running
    /// after that is left without a completion line, which the history reader treats as indeterminate.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await issuing.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll(clients);
        var grace = CommandTimeoutSeconds > 0
            ? TimeSpan.FromSeconds(CommandTimeoutSeconds) + CancellationTimeout + TimeSpan.FromSeconds(1)
            : StopWaitWithoutTimeout;
        if (await Task.WhenAny(all, Task.Delay(grace, cancellationToken)).ConfigureAwait(false) != all)
        {
            await inFlight.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await writeSource.DisposeAsync().ConfigureAwait(false);
        foreach (var source in readSources.Values)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        issuing.Dispose();
        inFlight.Dispose();
    }

    private NpgsqlConnectionStringBuilder Configure(NpgsqlConnectionStringBuilder builder)
    {
        builder.Pooling = true;
        builder.MinPoolSize = 0;
        builder.Timeout = (int)ConnectTimeout.TotalSeconds;
        builder.CommandTimeout = CommandTimeoutSeconds;
        builder.CancellationTimeout = (int)CancellationTimeout.TotalMilliseconds;

        // Without it Npgsql redacts the detail of notices, e.g. "The transaction has already committed locally...".
        builder.IncludeErrorDetail = true;
        builder.ApplicationName = "chaospg-workload";
        return builder;
    }

    private Task RunWriterAsync(int index)
    {
        var client = "w" + (index + 1).ToString(CultureInfo.InvariantCulture);
        var rows = new WorkloadRowGenerator(Schema, options.Seed, index);
        var notices = new NoticeRecorder();
        return RunConnectedAsync(writeSource, notices, async connection =>
        {
            if (await WriteAsync(client, connection, rows.Next(), notices).ConfigureAwait(false))
            {
                return true;
            }

            await CloseAsync(connection, notices, clearPool: true).ConfigureAwait(false);
            return false;
        });
    }

    // The loop writers and list-append clients share: wait for the pacer, (re)open the connection with exponential
    // backoff, then run one operation. Nothing is recorded before a node accepted the connection, so no operation is
    // started against a node that is down. step returns false when it closed the connection and it must be replaced.
    private async Task RunConnectedAsync(NpgsqlDataSource source, NoticeRecorder notices, Func<NpgsqlConnection, Task<bool>> step)
    {
        var backoff = MinBackoff;
        NpgsqlConnection? connection = null;
        try
        {
            while (!issuing.IsCancellationRequested)
            {
                await pacer.WaitAsync(issuing.Token).ConfigureAwait(false);
                if (connection is null)
                {
                    connection = await TryOpenAsync(source, notices).ConfigureAwait(false);
                    if (connection is null)
                    {
                        Interlocked.Increment(ref writeConnectFailures);
                        await Task.Delay(backoff, issuing.Token).ConfigureAwait(false);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                        continue;
                    }

                    backoff = MinBackoff;
                }

                if (!await step(connection).ConfigureAwait(false))
                {
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (issuing.IsCancellationRequested)
        {
            // Stopping between operations.
        }
        catch (ObjectDisposedException)
        {
            // The runner closed the history while this client was abandoned in an operation.
        }
        finally
        {
            if (connection is not null)
            {
                await CloseAsync(connection, notices, clearPool: false).ConfigureAwait(false);
            }
        }
    }

    /// <returns>False when the connection must be replaced.</returns>
    private async Task<bool> WriteAsync(string client, NpgsqlConnection connection, WorkloadRow row, NoticeRecorder notices)
    {
        var node = NodeAt(connection.Host, connection.Port);
        notices.Drain();
        var op = history.InvokeWrite(client, node.Name, node.Link, row.WriteId, Interlocked.Increment(ref seq), Schema.Table);
        try
        {
            var command = new NpgsqlCommand(Schema.InsertSql, connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = row.WriteId });
                command.Parameters.Add(new NpgsqlParameter { Value = op.Seq!.Value });
                foreach (var value in row.Values)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                await command.ExecuteNonQueryAsync(inFlight.Token).ConfigureAwait(false);
            }

            // No commit LSN: nothing in the same round trip reports it honestly (see docs/npgsql-sync-commit-cancel.md).
            // In flight until the stop cancelled it: the ok is the server answering that cancel, not a commit in time.
            history.Complete(op.OperationId, OperationOutcome.Ok, notices: notices.Drain(), cancelledAtStop: inFlight.IsCancellationRequested);
            Interlocked.Increment(ref writesOk);
            firstAcknowledgement.TrySetResult();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            var classified = OperationClassifier.Classify(OperationKind.Write, e, statementSent: true);
            history.Complete(op.OperationId, classified.Outcome, classified.Error, notices: notices.Drain(), cancelledAtStop: inFlight.IsCancellationRequested);
            Interlocked.Increment(ref classified.Outcome == OperationOutcome.Fail ? ref writesFailed : ref writesIndeterminate);

            // A real application's pool drops a connection after an error; a read-only answer means a demoted node.
            return false;
        }
    }

    // A list-append client: a writer (pinned is null) runs read/append transactions on whichever node takes writes, at
    // the scenario's isolation level; a reader runs read-only transactions on its node, repeatable read on a replica
    // (a standby refuses serializable), the scenario's level on the original primary.
    private Task RunTransactionsAsync(int index, WorkloadNode? pinned)
    {
        var client = (pinned is null ? "t" : "r") + (index + 1).ToString(CultureInfo.InvariantCulture);
        var folded = unchecked((int)(options.Seed ^ (options.Seed >>> 32)) + ((index + (pinned is null ? 0 : 1000)) * 7919));
        var random = new Bogus.Randomizer(folded);
        var readOnly = pinned is not null;
        var isolation = pinned is null || pinned.Name == nodes[0].Name ? options.Isolation : "repeatable-read";
        var begin = ListAppendTransaction.BeginSql(isolation, readOnly);
        var notices = new NoticeRecorder();
        return RunConnectedAsync(pinned is null ? writeSource : readSources[pinned.Name], notices, async connection =>
        {
            var node = pinned ?? NodeAt(connection.Host, connection.Port);
            var planned = ListAppendTransaction.Plan(random, listKeys, readOnly);
            notices.Drain();
            var op = history.InvokeTxn(client, node.Name, node.Link, planned);
            try
            {
                var done = await ListAppendTransaction.RunAsync(connection, begin, planned, inFlight.Token).ConfigureAwait(false);
                history.Complete(op.OperationId, OperationOutcome.Ok, notices: notices.Drain(), cancelledAtStop: inFlight.IsCancellationRequested, txn: done);
                Interlocked.Increment(ref writesOk);
                firstAcknowledgement.TrySetResult();
                return true;
            }
            catch (ListAppendFailedException failure)
            {
                // Before COMMIT nothing can have committed; a failed COMMIT is judged like an autocommit write.
                var classified = OperationClassifier.Classify(OperationKind.Write, failure.InnerException!, statementSent: true);
                var outcome = failure.AtCommit ? classified.Outcome : OperationOutcome.Fail;
                history.Complete(op.OperationId, outcome, classified.Error, notices: notices.Drain());
                Interlocked.Increment(ref outcome == OperationOutcome.Fail ? ref writesFailed : ref writesIndeterminate);
                await CloseAsync(connection, notices, clearPool: failure.InnerException is not PostgresException).ConfigureAwait(false);
                return false;
            }
        });
    }

    private async Task<NpgsqlConnection?> TryOpenAsync(NpgsqlDataSource source, NoticeRecorder notices)
    {
        var connection = source.CreateConnection();
        notices.Attach(connection);
        try
        {
            await connection.OpenAsync(issuing.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await CloseAsync(connection, notices, clearPool: false).ConfigureAwait(false);
            return null;
        }
    }

    private async Task RunReaderAsync(int index, WorkloadNode node)
    {
        var client = "r" + (index + 1).ToString(CultureInfo.InvariantCulture);
        var source = readSources[node.Name];
        var notices = new NoticeRecorder();
        NpgsqlConnection? connection = null;
        try
        {
            while (!issuing.IsCancellationRequested)
            {
                await pacer.WaitAsync(issuing.Token).ConfigureAwait(false);
                notices.Drain();
                var op = history.InvokeRead(client, node.Name, node.Link);
                var opened = connection is not null;
                try
                {
                    if (connection is null)
                    {
                        connection = source.CreateConnection();
                        notices.Attach(connection);
                        await connection.OpenAsync(inFlight.Token).ConfigureAwait(false);
                        opened = true;
                    }

                    var result = await ReadAsync(connection).ConfigureAwait(false);
                    history.Complete(op.OperationId, OperationOutcome.Ok, read: result, notices: notices.Drain(), cancelledAtStop: inFlight.IsCancellationRequested);
                    Interlocked.Increment(ref readsOk);
                    if (options.Writers == 0)
                    {
                        firstAcknowledgement.TrySetResult();
                    }
                }
                catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
                {
                    var classified = OperationClassifier.Classify(OperationKind.Read, e, statementSent: opened);
                    history.Complete(op.OperationId, classified.Outcome, classified.Error, notices: notices.Drain(), cancelledAtStop: inFlight.IsCancellationRequested);
                    Interlocked.Increment(ref readsFailed);
                    if (connection is not null)
                    {
                        await CloseAsync(connection, notices, clearPool: true).ConfigureAwait(false);
                        connection = null;
                    }

                    await Task.Delay(MinBackoff, issuing.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (issuing.IsCancellationRequested)
        {
            // Stopping between operations.
        }
        catch (ObjectDisposedException)
        {
            // The runner closed the history while this client was abandoned in an operation.
        }
        finally
        {
            if (connection is not null)
            {
                await CloseAsync(connection, notices, clearPool: false).ConfigureAwait(false);
            }
        }
    }

    private async Task<ReadResult> ReadAsync(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(Schema.ReadSql, connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(inFlight.Token).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(inFlight.Token).ConfigureAwait(false);
                long? maxSeq = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                var count = reader.GetInt64(1);
                Lsn? lsn = reader.IsDBNull(2) ? null : new Lsn((ulong)reader.GetFieldValue<NpgsqlTypes.NpgsqlLogSequenceNumber>(2));
                return new ReadResult(maxSeq, count, lsn);
            }
        }
    }

    private WorkloadNode NodeAt(string? host, int port)
    {
        foreach (var node in nodes)
        {
            if (node.ClientPort == port && string.Equals(node.ClientHost, host, StringComparison.OrdinalIgnoreCase))
            {
                return node;
            }
        }

        throw new InvalidOperationException($"connected to {host}:{port}, which is no node's client link");
    }

    private static async Task CloseAsync(NpgsqlConnection connection, NoticeRecorder notices, bool clearPool)
    {
        notices.Detach(connection);
        if (clearPool)
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
