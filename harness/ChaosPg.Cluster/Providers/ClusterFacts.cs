using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// What run.json records about how a cluster came to exist: the name of each axis, the proxy that carries the
/// links and the images. Known in part before the cluster starts (<see cref="IClusterProvider.Plan"/>), in full after.
/// </summary>
public sealed record ClusterFacts(string Backend, string Network, string Manager)
{
    /// <summary>Which Toxiproxy carries the links, when the network mode uses one.</summary>
    public ToxiproxyKind? ProxyKind { get; init; }

    /// <summary>The proxy's reported version, once it runs.</summary>
    public string? ProxyVersion { get; init; }

    /// <summary>The PostgreSQL image of a container backend; null otherwise.</summary>
    public string? PgImage { get; init; }

    /// <summary>The Toxiproxy image of a container backend; null otherwise.</summary>
    public string? ToxiproxyImage { get; init; }
}
