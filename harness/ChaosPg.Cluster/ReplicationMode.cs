namespace ChaosPg.Cluster;

/// <summary>How the primary waits for its replicas before acknowledging a commit.</summary>
public enum ReplicationMode
{
    /// <summary>No standby is synchronous.</summary>
    Async,

    /// <summary><c>FIRST k (...)</c>: the first k connected standbys in list order must confirm.</summary>
    Sync,

    /// <summary><c>ANY k (...)</c>: any k standbys must confirm.</summary>
    Quorum,
}
