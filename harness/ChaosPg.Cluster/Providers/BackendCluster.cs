using System.Collections.Immutable;
using ChaosPg.Cluster.Links;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// A cluster as a backend (or a manager) started it: the nodes, the router their links go through, the link faults
/// the network mode supports (null when there are none), the proxy it started itself, and lines for <c>cluster up</c>.
/// </summary>
/// <param name="Cluster">The nodes; disposing it stops them.</param>
/// <param name="Router">The router of the cluster's links.</param>
/// <param name="LinkFaults">Faults on those links, or null when the network mode cannot apply any.</param>
/// <param name="ProxyKind">The proxy the backend started itself (a container), or null when the network mode's is used.</param>
/// <param name="ProxyVersion">That proxy's reported version.</param>
/// <param name="Notes">Where things are, e.g. "work directory: ...", one line each.</param>
public sealed record BackendCluster(
    IReplicatedCluster Cluster,
    ILinkRouter Router,
    ILinkFaults? LinkFaults,
    ToxiproxyKind? ProxyKind,
    string? ProxyVersion,
    ImmutableArray<string> Notes);
