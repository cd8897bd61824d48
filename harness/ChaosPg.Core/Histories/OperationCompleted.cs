using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>An operation ended: its outcome, the commit LSN of a write, what a read saw, and the notices received.</summary>
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
    ImmutableArray<MicroOp> Txn = default) : HistoryLine(AtMicros);
