using System.Collections.Immutable;
using System.Diagnostics;

namespace ChaosPg.Core.Histories;

/// <summary>
/// Appends history lines to a JSON-lines file as they happen, one write per line so a killed harness still leaves
/// every line it recorded. Thread-safe: workload clients and the scheduler call it concurrently.
/// </summary>
/// <example>
/// <code>
/// await using var history = HistoryWriter.Create(Path.Combine(runDir, HistoryWriter.FileName), "failover", seed, "primary");
/// var invoke = history.InvokeWrite("w1", "primary", "client->primary", writeId, seq, "chaos_writes");
/// // ... run the INSERT/COMMIT, collecting notices ...
/// history.Complete(invoke.OperationId, OperationOutcome.Ok, commitLsn: lsn, notices: notices);
/// var fault = history.StartEvent(EventKind.Kill, "primary");
/// history.EndEvent(fault.EventId);
/// </code>
/// </example>
public sealed class HistoryWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The history's file name inside a run folder.</summary>
    public const string FileName = "history.jsonl";

    private readonly Lock gate = new();
    private readonly JsonLinesFile<HistoryLine> file;
    private readonly long startTimestamp;
    private long lastOperationId;
    private long lastEventId;
    private bool disposed;

    private HistoryWriter(JsonLinesFile<HistoryLine> file)
    {
        this.file = file;
        startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Microseconds since the writer was created: the clock of every line it stamps.</summary>
    public long ElapsedMicros => (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;

    /// <summary>Creates (or truncates) the file and writes the run header at time 0.</summary>
    public static HistoryWriter Create(string path, string scenario, long seed, string initialPrimary, string? consistencyModel = null)
    {
        var writer = Open(path);
        writer.Append(new RunStarted(0, scenario, seed, DateTimeOffset.UtcNow, initialPrimary, consistencyModel));
        return writer;
    }

    /// <summary>Creates (or truncates) the file without a header, for lines that carry their own times.</summary>
    public static HistoryWriter Open(string path)
    {
        return new HistoryWriter(new JsonLinesFile<HistoryLine>(path, CoreJsonContext.Default.HistoryLine));
    }

    /// <summary>Records that a client starts writing row <paramref name="writeId"/> (sequence <paramref name="seq"/>).</summary>
    public OperationInvoked InvokeWrite(string client, string node, string link, string writeId, long seq, string table)
    {
        lock (gate)
        {
            var line = new OperationInvoked(ElapsedMicros, ++lastOperationId, client, OperationKind.Write, node, link, writeId, seq, table);
            WriteLocked(line);
            return line;
        }
    }

    /// <summary>Records that a client starts a list-append transaction (reads without values).</summary>
    public OperationInvoked InvokeTxn(string client, string node, string link, ImmutableArray<MicroOp> txn)
    {
        lock (gate)
        {
            var line = new OperationInvoked(ElapsedMicros, ++lastOperationId, client, OperationKind.Txn, node, link, Txn: txn);
            WriteLocked(line);
            return line;
        }
    }

    /// <summary>Records that a client starts reading the high-water mark of a node.</summary>
    public OperationInvoked InvokeRead(string client, string node, string link)
    {
        lock (gate)
        {
            var line = new OperationInvoked(ElapsedMicros, ++lastOperationId, client, OperationKind.Read, node, link);
            WriteLocked(line);
            return line;
        }
    }

    /// <summary>Records how an operation ended.</summary>
    public OperationCompleted Complete(
        long operationId,
        OperationOutcome outcome,
        OperationError? error = null,
        Lsn? commitLsn = null,
        ReadResult? read = null,
        ImmutableArray<ServerNotice> notices = default,
        bool cancelledAtStop = false,
        ImmutableArray<MicroOp> txn = default)
    {
        lock (gate)
        {
            var line = new OperationCompleted(ElapsedMicros, operationId, outcome, error, commitLsn, read, notices.IsDefaultOrEmpty ? default : notices, cancelledAtStop, txn);
            WriteLocked(line);
            return line;
        }
    }

    /// <summary>Records that a fault or action starts (at <paramref name="atMicros"/> when it was seen only afterwards: a manager's promotion).</summary>
    public EventStarted StartEvent(EventKind kind, string target, ImmutableDictionary<string, string>? parameters = null, long? atMicros = null)
    {
        lock (gate)
        {
            var line = new EventStarted(Math.Min(atMicros ?? long.MaxValue, ElapsedMicros), ++lastEventId, kind, target, parameters);
            WriteLocked(line);
            return line;
        }
    }

    /// <summary>Records that a fault was removed or an action finished (or failed), at <paramref name="atMicros"/> when given.</summary>
    public EventEnded EndEvent(long eventId, bool ok = true, string? error = null, long? atMicros = null)
    {
        lock (gate)
        {
            var line = new EventEnded(Math.Min(atMicros ?? long.MaxValue, ElapsedMicros), eventId, ok, error);
            WriteLocked(line);
            return line;
        }
    }

    /// <summary>Appends a line that already carries its time and ids (replays, generated histories, tests).</summary>
    public void Append(HistoryLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (gate)
        {
            WriteLocked(line);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            file.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteLocked(HistoryLine line)
    {
        // Under the gate, so ids and times reach the file in the order they were handed out.
        ObjectDisposedException.ThrowIf(disposed, this);
        file.Append(line);
    }
}
