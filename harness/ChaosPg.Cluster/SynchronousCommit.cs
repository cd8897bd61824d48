namespace ChaosPg.Cluster;

/// <summary>The server's <c>synchronous_commit</c> level.</summary>
public enum SynchronousCommit
{
    Off,
    Local,
    RemoteWrite,
    On,
    RemoteApply,
}
