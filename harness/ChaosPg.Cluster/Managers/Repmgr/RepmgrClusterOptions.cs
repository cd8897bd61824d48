namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>Where and how a <see cref="RepmgrCluster"/> runs PostgreSQL, repmgr and repmgrd.</summary>
public sealed record RepmgrClusterOptions
{
    /// <summary>Root of runs/ (per-run work directories with owner.json) and templates/, shared with the local backend and its sweeper.</summary>
    public string WorkRoot { get; init; } = "/var/tmp/chaospg";

    /// <summary>Directory for the servers', repmgrd's and repmgr's logs; null keeps them in the run's work directory.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Keep the work directory after disposal (for post-mortem inspection).</summary>
    public bool KeepData { get; init; }

    /// <summary>Routes client, peer and witness links; null means <see cref="DirectLinkRouter"/>. The caller owns and disposes it.</summary>
    public ILinkRouter? LinkRouter { get; init; }

    /// <summary>OS user the servers, repmgr and repmgrd run as when the harness is root (repmgrd refuses root).</summary>
    public string ServerUserName { get; init; } = "postgres";

    /// <summary>How long bring-up, a rejoin or a manager action may take.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The manager's settings (witness, repmgrd timings).</summary>
    public RepmgrSettings Settings { get; init; } = new();

    /// <summary>How often the observer polls repmgr.nodes and the servers.</summary>
    public TimeSpan ObserveInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
