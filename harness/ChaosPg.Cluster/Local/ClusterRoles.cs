namespace ChaosPg.Cluster.Local;

/// <summary>
/// Role and database names every local cluster has (baked into the template; passwords are per run). The only
/// database besides template0/template1 is chaospg: the superuser connects there too.
/// </summary>
internal static class ClusterRoles
{
    public const string Superuser = "postgres";
    public const string Replication = "chaospg_replicator";
    public const string App = "chaospg_app";
    public const string AppDatabase = "chaospg";
}
