namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// Where one repmgr member (a node, or the witness) keeps its files: the data directory, and beside it a config
/// directory outside it (repmgr.conf, postgresql.conf with the port, pg_service.conf, repmgrd's pid file). Nothing
/// node-specific lives in the data directory: pg_rewind copies the new primary's files over it.
/// </summary>
/// <param name="Id">repmgr's node_id (the primary 1, replicas 2.., the witness last).</param>
/// <param name="Name">repmgr's node_name: the node's name, or <c>witness</c>.</param>
/// <param name="DataDirectory">The server's data directory.</param>
/// <param name="ConfigDirectory">The member's own directory outside it.</param>
/// <param name="Port">Where its server listens, on 127.0.0.1.</param>
/// <param name="ServerLog">The server's log (pg_ctl -l), in the run's log directory.</param>
public sealed record RepmgrMember(int Id, string Name, string DataDirectory, string ConfigDirectory, int Port, string ServerLog)
{
    public string RepmgrConf => Path.Combine(ConfigDirectory, "repmgr.conf");

    /// <summary>The server's configuration, given with <c>-c config_file=</c>: the port is here, never in the data directory.</summary>
    public string PostgresqlConf => Path.Combine(ConfigDirectory, "postgresql.conf");

    /// <summary>This member's libpq service file: each member's name resolves to the address this member must use for it.</summary>
    public string ServiceFile => Path.Combine(ConfigDirectory, "pg_service.conf");

    /// <summary>repmgrd's pid file: repmgr's default is one path for every instance on the host.</summary>
    public string PidFile => Path.Combine(ConfigDirectory, "repmgrd.pid");

    public LinkEndpoint Endpoint => new("127.0.0.1", Port);
}
