namespace ChaosPg.Core.Schedule;

/// <summary>The role a node has at a point of a schedule.</summary>
internal enum NodeRole
{
    Primary,
    Replica,

    /// <summary>A former primary after another node was promoted; it streams from nobody until it rejoins.</summary>
    DeposedPrimary,
}
