using Npgsql;

namespace ChaosPg.Cluster.Local;

/// <summary>The passwords of one run, generated fresh; never logged.</summary>
internal sealed record RunSecrets(string Superuser, string Replication, string App)
{
    public static RunSecrets Generate() => new(ScramVerifier.NewPassword(), ScramVerifier.NewPassword(), ScramVerifier.NewPassword());

    /// <summary>A libpq passfile: lets walreceivers and pg_rewind authenticate without a password in any config or command line.</summary>
    public string PassFile() =>
        $"*:*:replication:{ClusterRoles.Replication}:{Replication}\n*:*:*:{ClusterRoles.Superuser}:{Superuser}\n";

    /// <summary>The harness's connection string to <paramref name="endpoint"/> as <paramref name="role"/>: no pooling, no TLS, short timeouts.</summary>
    public string ConnectionString(LinkEndpoint endpoint, DatabaseRole role)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Pooling = false,
            SslMode = SslMode.Disable,
            Timeout = 5,
            CommandTimeout = 60,
        };
        (builder.Username, builder.Password, builder.Database) = role == DatabaseRole.App
            ? (ClusterRoles.App, App, ClusterRoles.AppDatabase)
            : (ClusterRoles.Superuser, Superuser, ClusterRoles.AppDatabase);
        return builder.ConnectionString;
    }

    /// <summary>Single-user SQL giving each role its password as a SCRAM verifier.</summary>
    public string SetPasswordsSql() =>
        $"ALTER ROLE {ClusterRoles.Superuser} PASSWORD '{ScramVerifier.Compute(Superuser)}';\n" +
        $"ALTER ROLE {ClusterRoles.Replication} PASSWORD '{ScramVerifier.Compute(Replication)}';\n" +
        $"ALTER ROLE {ClusterRoles.App} PASSWORD '{ScramVerifier.Compute(App)}';\n";
}
