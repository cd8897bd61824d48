namespace ChaosPg.Cluster;

/// <summary>
/// What a promoted node under sync or quorum replication is configured to wait for, as an operator would leave it:
/// the nodes then streaming from it, or nothing. The initial setting names every node (the original primary last),
/// which on a promoted node would name itself and the dead primary, and hang every commit.
/// </summary>
public enum SyncAfterPromotion
{
    /// <summary>
    /// The surviving standbys: the replicas that stream from the new primary, plus the old primary once it has
    /// rejoined; k is the spec's quorum capped at their number, and with none left commits do not wait.
    /// </summary>
    Surviving,

    /// <summary>No synchronous standby at all after a promotion: commits on the new primary never wait.</summary>
    None,
}
