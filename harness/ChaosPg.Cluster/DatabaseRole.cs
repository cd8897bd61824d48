namespace ChaosPg.Cluster;

/// <summary>Who a connection string logs in as.</summary>
public enum DatabaseRole
{
    /// <summary>The superuser, database chaospg: for the harness only.</summary>
    Superuser,

    /// <summary>The unprivileged app role, database chaospg: for workloads.</summary>
    App,
}
