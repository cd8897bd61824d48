namespace ChaosPg.Cluster.Providers;

/// <summary>One of the three independent choices a cluster is composed from.</summary>
public enum ClusterAxis
{
    /// <summary>What runs the nodes: local processes, containers, or (later) a target someone else runs.</summary>
    Backend,

    /// <summary>How link faults are applied: through Toxiproxy, or (later) in the kernel.</summary>
    Network,

    /// <summary>The HA software that decides failover: none (the scenario promotes), or (later) Patroni and others.</summary>
    Manager,
}
