using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>How a run's etcd is started: members, where it keeps data and logs, whom it runs as.</summary>
public sealed record EtcdOptions
{
    /// <summary>Members: 1 (the default) or 3.</summary>
    public int Members { get; init; } = 1;

    /// <summary>The run's work directory: data directories go to &lt;it&gt;/etcd/&lt;member&gt;.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Where etcd&lt;N&gt;.log goes.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>The OS user etcd runs as (the server user when the harness is root).</summary>
    public required ServerUser User { get; init; }

    /// <summary>A token unique to the run, so members of two runs can never join each other.</summary>
    public required string ClusterToken { get; init; }

    /// <summary>The etcd binary.</summary>
    public string Binary { get; init; } = "etcd";

    /// <summary>How long the members may take to report healthy.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
