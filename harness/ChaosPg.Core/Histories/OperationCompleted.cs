using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>An operation ended: its outcome, the commit LSN of a write, what a read saw, and the notices received.</summary>
/// <param name="CancelledAtStop">
/// True when the operation was still waiting when the workload stopped and gave up on it: it ended only because the
/// client cancelled it then (a commit waiting for a synchronous standby comes back ok with a warning).
/// </param>
/// <param name="Txn">For a transaction that committed: its micro-ops with the values each read returned.</param>
public sealed record OperationCompleted(
    long AtMicros,
    long OperationId,
    OperationOutcome Outcome,
    OperationError? Error = null,
    Lsn? CommitLsn = null,
    ReadResult? Read = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    ImmutableArray<ServerNotice> Notices = default,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    bool CancelledAtStop = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    ImmutableArray<MicroOp> Txn = default) : HistoryLine(AtMicros);
