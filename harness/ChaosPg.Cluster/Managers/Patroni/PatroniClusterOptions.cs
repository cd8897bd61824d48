namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>Where and how a <see cref="PatroniCluster"/> runs etcd, Patroni and PostgreSQL.</summary>
public sealed record PatroniClusterOptions
{
    /// <summary>Root of runs/ (per-run work directories with owner.json), shared with the local backend and its sweeper.</summary>
    public string WorkRoot { get; init; } = "/var/tmp/chaospg";

    /// <summary>Directory for the logs of every node's Patroni (which holds its server's output) and of etcd; null keeps them in the run's work directory.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Keep the work directory after disposal (for post-mortem inspection).</summary>
    public bool KeepData { get; init; }

    /// <summary>Routes client, peer, REST and DCS links; null means <see cref="DirectLinkRouter"/>. The caller owns and disposes it.</summary>
    public ILinkRouter? LinkRouter { get; init; }

    /// <summary>OS user etcd, Patroni and the servers run as when the harness is root.</summary>
    public string ServerUserName { get; init; } = "postgres";

    /// <summary>How long bring-up may take: a leader elected and every replica streaming.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The manager's settings (ttl, loop_wait, synchronous mode, etcd members ...).</summary>
    public PatroniSettings Settings { get; init; } = new();

    /// <summary>How often the observer polls <c>/cluster</c> and the servers.</summary>
    public TimeSpan ObserveInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The patroni executable.</summary>
    public string PatroniBinary { get; init; } = "patroni";

    /// <summary>The etcd executable.</summary>
    public string EtcdBinary { get; init; } = "etcd";
}
