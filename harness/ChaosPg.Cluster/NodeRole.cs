namespace ChaosPg.Cluster;

/// <summary>What a node is right now, from <c>pg_is_in_recovery()</c>.</summary>
public enum NodeRole
{
    Primary,
    Replica,
}
