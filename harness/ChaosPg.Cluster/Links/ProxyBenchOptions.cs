using System.Collections.Immutable;

namespace ChaosPg.Cluster.Links;

/// <summary>What <see cref="ProxyBenchmark"/> runs: pgbench select-only against one node, directly and through each proxy.</summary>
public sealed record ProxyBenchOptions
{
    /// <summary>Rounds of (direct, then each proxy), interleaved so that a change in machine load weighs on every mode alike.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Length of one pgbench run.</summary>
    public TimeSpan RunLength { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>pgbench clients (-c).</summary>
    public int Clients { get; init; } = 8;

    /// <summary>pgbench threads (-j).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>pgbench scale factor of the initialisation (-i -s).</summary>
    public int Scale { get; init; } = 10;

    /// <summary>PostgreSQL bin directory; null locates one as the cluster does.</summary>
    public string? PgBinDirectory { get; init; }

    /// <summary>
    /// The command line that runs <c>chaospg proxy</c> (executable first, then its leading arguments; <c>--host</c> and
    /// <c>--port</c> are appended): the embedded server in a process of its own. Empty skips that mode.
    /// </summary>
    public ImmutableArray<string> ChildProxyCommand { get; init; } = [];

    /// <summary>
    /// <c>kernel</c> puts the node in a network namespace of a kernel-mode topology and adds the <c>kernel</c> mode (its
    /// client link, no relay, no fault); <c>direct</c> is then its admin address across the same veth and bridge, and
    /// <c>loopback</c> a second cluster of the same spec on 127.0.0.1, measured in the same rounds.
    /// Null (or <c>proxy</c>) keeps the node on 127.0.0.1.
    /// </summary>
    public string? Network { get; init; }
}
