using System.Collections.Immutable;
using ChaosPg.Core;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Tests;

/// <summary>Builds hand-made histories and final states for checker tests; times are in milliseconds for readability.</summary>
internal sealed class HistoryScript
{
    public const string SyncWarning = "canceling wait for synchronous replication due to user request";

    private readonly List<HistoryLine> lines = [new RunStarted(0, "test", 1, DateTimeOffset.UnixEpoch, "primary")];
    private long nextOperation;
    private long nextEvent;
    private long nextSeq;

    public IReadOnlyList<HistoryLine> Lines => lines;

    public HistoryScript Write(
        string writeId,
        long invokeMs,
        long? completeMs,
        OperationOutcome outcome = OperationOutcome.Ok,
        string node = "primary",
        string client = "w1",
        params ServerNotice[] notices)
    {
        var id = ++nextOperation;
        lines.Add(new OperationInvoked(invokeMs * 1000, id, client, OperationKind.Write, node, "client->" + node, writeId, ++nextSeq, "t"));
        if (completeMs is { } done)
        {
            lines.Add(new OperationCompleted(
                done * 1000,
                id,
                outcome,
                outcome == OperationOutcome.Ok ? null : new OperationError("08006", "connection-lost"),
                Notices: notices.Length == 0 ? default : [.. notices]));
        }

        return this;
    }

    /// <summary>A write the workload was still waiting for when it stopped, which then came back (ok: with the sync warning).</summary>
    public HistoryScript WriteCancelledAtStop(string writeId, long invokeMs, long stopMs, OperationOutcome outcome = OperationOutcome.Ok, string node = "primary", string client = "w1")
    {
        var id = ++nextOperation;
        lines.Add(new OperationInvoked(invokeMs * 1000, id, client, OperationKind.Write, node, "client->" + node, writeId, ++nextSeq, "t"));
        lines.Add(new OperationCompleted(
            stopMs * 1000,
            id,
            outcome,
            outcome == OperationOutcome.Ok ? null : new OperationError(null, "cancelled"),
            Notices: outcome == OperationOutcome.Ok ? [SyncNotice()] : default,
            CancelledAtStop: true));
        return this;
    }

    public HistoryScript Read(string client, string node, long invokeMs, long completeMs, long? maxSeq, OperationOutcome outcome = OperationOutcome.Ok)
    {
        var id = ++nextOperation;
        lines.Add(new OperationInvoked(invokeMs * 1000, id, client, OperationKind.Read, node, "client->" + node));
        lines.Add(new OperationCompleted(completeMs * 1000, id, outcome, Read: outcome == OperationOutcome.Ok ? new ReadResult(maxSeq) : null));
        return this;
    }

    public HistoryScript Event(EventKind kind, string target, long startMs, long? endMs, bool ok = true, System.Collections.Immutable.ImmutableDictionary<string, string>? parameters = null)
    {
        var id = ++nextEvent;
        lines.Add(new EventStarted(startMs * 1000, id, kind, target, parameters));
        if (endMs is { } end)
        {
            lines.Add(new EventEnded(end * 1000, id, ok));
        }

        return this;
    }

    public History Build()
    {
        var builder = new HistoryBuilder();
        foreach (var line in lines)
        {
            builder.Add(line);
        }

        return builder.Build();
    }

    public static ServerNotice SyncNotice() =>
        new("WARNING", "01000", SyncWarning, "The transaction has already committed locally, but might not have been replicated to the standby.");

    public static NodeSnapshot Node(string node, params string[] writeIds) =>
        new(node, true, node == "primary" ? NodeRole.Primary : NodeRole.Replica, 1, new Lsn(100), new Lsn(100), new Lsn(100), [.. writeIds], null);

    public static FinalState State(string finalPrimary, params NodeSnapshot[] nodes) => new(finalPrimary, 999_000_000, [.. nodes]);
}
