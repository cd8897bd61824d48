using System.Collections.Immutable;

namespace ChaosPg.Core.Histories;

/// <summary>An operation with its invoke and completion paired; an invoke never completed is indeterminate.</summary>
/// <param name="EndMicros">The completion time, or the end of the history when the operation never completed.</param>
/// <param name="Completed">False when the history holds no completion line (the harness died or lost the client).</param>
public sealed record Operation(
    long Id,
    string Client,
    OperationKind Kind,
    string Node,
    string Link,
    long InvokeMicros,
    long EndMicros,
    bool Completed,
    OperationOutcome Outcome,
    string? WriteId,
    long? Seq,
    string? Table,
    OperationError? Error,
    Lsn? CommitLsn,
    ReadResult? Read,
    ImmutableArray<ServerNotice> Notices)
{
    /// <summary>True when a notice says the commit stopped waiting for synchronous replication.</summary>
    public bool AcknowledgedWithSyncWarning
    {
        get
        {
            foreach (var notice in Notices)
            {
                if (notice.IsSynchronousReplicationCancel)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
