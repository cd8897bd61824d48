namespace ChaosPg.Core.Histories;

/// <summary>A notice or warning the server sent during an operation (the fields of a NoticeResponse).</summary>
public sealed record ServerNotice(string Severity, string SqlState, string Message, string? Detail = null)
{
    /// <summary>
    /// True for the warning PostgreSQL sends when it stops waiting for a synchronous standby (cancel or terminate):
    /// the transaction committed locally but may not have reached any standby. PostgreSQL gives these warnings no
    /// SqlState of their own (01000, or 57P01 when terminating), so the message is the only signal; the harness runs
    /// servers with lc_messages=C so the text is stable.
    /// </summary>
    public bool IsSynchronousReplicationCancel =>
        Message.StartsWith("canceling wait for synchronous replication", StringComparison.Ordinal)
        || Message.StartsWith("canceling the wait for synchronous replication", StringComparison.Ordinal)
        || (Detail?.StartsWith("The transaction has already committed locally", StringComparison.Ordinal) ?? false);
}
