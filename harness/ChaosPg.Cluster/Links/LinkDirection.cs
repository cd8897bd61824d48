namespace ChaosPg.Cluster.Links;

/// <summary>Which half of a link a fault acts on: upstream is towards the node, downstream back from it.</summary>
public enum LinkDirection
{
    Both,
    Upstream,
    Downstream,
}
