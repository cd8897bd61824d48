using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Every name each axis knows, built or planned (DESIGN.md's vocabulary). A name here without a registration in
/// <see cref="ClusterProviderRegistry"/> is "not available yet", which is a different error from an unknown name.
/// </summary>
public static class ClusterAxisNames
{
    public const string Local = "local";
    public const string Docker = "docker";
    public const string Target = "target";

    public const string Proxy = "proxy";
    public const string Kernel = "kernel";

    public const string None = "none";
    public const string Patroni = "patroni";
    public const string Repmgr = "repmgr";
    public const string PgAutoFailover = "pg_auto_failover";

    /// <summary>The names <paramref name="axis"/> knows, in the order errors list them.</summary>
    public static ImmutableArray<string> Known(ClusterAxis axis) => axis switch
    {
        ClusterAxis.Backend => [Local, Docker, Target],
        ClusterAxis.Network => [Proxy, Kernel],
        ClusterAxis.Manager => [None, Patroni, Repmgr, PgAutoFailover],
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not an axis"),
    };

    /// <summary>The word for <paramref name="axis"/> in messages and in doctor's report.</summary>
    public static string Word(ClusterAxis axis) => axis switch
    {
        ClusterAxis.Backend => "backend",
        ClusterAxis.Network => "network",
        ClusterAxis.Manager => "manager",
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not an axis"),
    };
}
