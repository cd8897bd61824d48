using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Cluster.Managers.Repmgr;
using ChaosPg.Cluster.Target;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// What cluster to make: the spec (nodes, replication, settings, PostgreSQL bin directory), one name per axis and the
/// options the axes take. Each axis reads only its own options; the others ignore them.
/// </summary>
public sealed record ClusterRequest(ClusterSpec Spec)
{
    /// <summary>What runs the nodes (<c>--backend</c>).</summary>
    public string Backend { get; init; } = ClusterAxisNames.Local;

    /// <summary>How links are carried and faulted (<c>cluster.network</c>).</summary>
    public string Network { get; init; } = ClusterAxisNames.Proxy;

    /// <summary>Who decides failover (<c>cluster.manager</c>).</summary>
    public string Manager { get; init; } = ClusterAxisNames.None;

    /// <summary>The settings of the <c>patroni</c> manager (ttl, loop_wait, synchronous mode, etcd members).</summary>
    public PatroniSettings Patroni { get; init; } = new();

    /// <summary>The settings of the <c>repmgr</c> manager (witness, repmgrd timings).</summary>
    public RepmgrSettings Repmgr { get; init; } = new();

    /// <summary>The PostgreSQL image of the Docker backend (<c>--pg-image</c>).</summary>
    public string PgImage { get; init; } = DockerClusterOptions.DefaultPgImage;

    /// <summary>The Toxiproxy image of the Docker backend (<c>--toxiproxy-image</c>).</summary>
    public string ToxiproxyImage { get; init; } = DockerClusterOptions.DefaultToxiproxyImage;

    /// <summary>A running Toxiproxy (<c>--toxiproxy-url</c>); null starts toxiproxy-server from PATH or the embedded one.</summary>
    public Uri? ToxiproxyUrl { get; init; }

    /// <summary>The cluster someone else runs, for the target backend (<c>--target</c>); the other backends ignore it.</summary>
    public TargetSpec? Target { get; init; }

    /// <summary>Where node (and later manager) logs go; null keeps them in the cluster's work directory.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Keeps the nodes' data directories after teardown (for a post-mortem).</summary>
    public bool KeepData { get; init; }

    /// <summary>Where local clusters keep their data directories and templates.</summary>
    public string WorkRoot { get; init; } = "/var/tmp/chaospg";

    /// <summary>Bounds each teardown step (cluster, router, proxy) on its own.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The PostgreSQL bin directory asked for, or null to detect it.</summary>
    public string? PgBinDirectory => Spec.PgBinDirectory;

    /// <summary>True when every axis is its default (local, proxy, none): today's cluster, the baseline benchmarks compare with.</summary>
    public bool HasDefaultAxes => Backend == ClusterAxisNames.Local && Network == ClusterAxisNames.Proxy && Manager == ClusterAxisNames.None;

    /// <summary>The name this request gives <paramref name="axis"/>.</summary>
    public string NameOf(ClusterAxis axis) => axis switch
    {
        ClusterAxis.Backend => Backend,
        ClusterAxis.Network => Network,
        ClusterAxis.Manager => Manager,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not an axis"),
    };
}
