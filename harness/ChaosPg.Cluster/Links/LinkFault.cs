namespace ChaosPg.Cluster.Links;

/// <summary>A fault on one link; at most one of each kind is on a link, so the pair is its key for removal.</summary>
public sealed record LinkFault(string Link, LinkFaultKind Kind);
