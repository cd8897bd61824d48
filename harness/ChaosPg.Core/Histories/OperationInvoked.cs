using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>A client started an operation on a node through a link.</summary>
/// <param name="OperationId">Unique per run; pairs this line with its <see cref="OperationCompleted"/>.</param>
/// <param name="Client">The workload client, e.g. "w3" or "r1"; one client runs one operation at a time.</param>
/// <param name="WriteId">For writes: the unique id of the row written, derived from the run seed.</param>
/// <param name="Seq">For writes: the run-wide increasing sequence number stored in the row (what reads report as max).</param>
/// <param name="Table">For writes: the table written.</param>
/// <param name="Txn">For transactions: the micro-ops as planned (reads without values).</param>
public sealed record OperationInvoked(
    long AtMicros,
    long OperationId,
    string Client,
    OperationKind Kind,
    string Node,
    string Link,
    string? WriteId = null,
    long? Seq = null,
    string? Table = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    ImmutableArray<MicroOp> Txn = default) : HistoryLine(AtMicros);
