namespace ChaosPg.Cluster;

/// <summary>What runs the nodes of a cluster.</summary>
public enum ClusterBackend
{
    /// <summary>Local PostgreSQL processes (the default; needs only the server binaries).</summary>
    Local,

    /// <summary>Containers through Testcontainers, with a Toxiproxy container (needs a Docker daemon and the images).</summary>
    Docker,
}
