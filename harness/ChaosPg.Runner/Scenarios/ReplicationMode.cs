namespace ChaosPg.Runner.Scenarios;

/// <summary>How the primary waits for replicas at commit (synchronous_standby_names).</summary>
public enum ReplicationMode
{
    /// <summary>No standby is synchronous.</summary>
    Async,

    /// <summary><c>FIRST k (replica1, ...)</c>: the first k replicas in name order are synchronous.</summary>
    Sync,

    /// <summary><c>ANY k (replica1, ...)</c>: any k replicas must confirm.</summary>
    Quorum,
}
