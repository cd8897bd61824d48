using ChaosPg.Cluster.Reaping;

namespace ChaosPg.Cluster.Local;

/// <summary>Where and how a <see cref="LocalCluster"/> runs its processes.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>Root of templates/ and runs/ (per-run work directories with owner.json).</summary>
    public string WorkRoot { get; init; } = "/var/tmp/chaospg";

    /// <summary>Directory for the server logs (the run folder); null keeps them in the run's work directory.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Keep data directories after disposal (for post-mortem inspection).</summary>
    public bool KeepData { get; init; }

    /// <summary>Routes client and WAL links; null means <see cref="DirectLinkRouter"/>. The caller owns and disposes it.</summary>
    public ILinkRouter? LinkRouter { get; init; }

    /// <summary>
    /// The run's reaper, when the caller started one to share with what it starts beside the cluster (a proxy, a
    /// manager); the caller then owns it. Null: the cluster starts its own and ends it on disposal.
    /// </summary>
    public RunReaper? Reaper { get; init; }

    /// <summary>Where nodes listen and how they start; null means 127.0.0.1 in the harness's namespace.</summary>
    public INodeNetwork? NodeNetwork { get; init; }

    /// <summary>OS user servers run as when the harness is root.</summary>
    public string ServerUserName { get; init; } = "postgres";

    /// <summary>How long a node may take to accept connections, or a replica to stream.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
