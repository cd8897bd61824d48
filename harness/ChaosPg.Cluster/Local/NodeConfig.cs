using System.Globalization;
using System.Text;

namespace ChaosPg.Cluster.Local;

/// <summary>The configuration files of a node: postgresql.conf, pg_hba.conf and the standby settings.</summary>
internal static class NodeConfig
{
    public static string PostgresqlConf(ClusterSpec spec, string node, int port, string listenAddresses = "127.0.0.1")
    {
        IEnumerable<(string Name, string Value)> settings =
        [
            ("listen_addresses", listenAddresses),
            ("port", port.ToString(CultureInfo.InvariantCulture)),
            // No Unix socket: only 127.0.0.1 host lines exist, and no socket file is left in a shared directory.
            ("unix_socket_directories", ""),
            .. ServerSettings(spec, node),
        ];
        var builder = new StringBuilder("# Written by ChaosPg for node ").Append(node).Append('\n');
        foreach (var (name, value) in settings)
        {
            builder.Append(name).Append(" = ").Append(Quote(value)).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>
    /// The server settings of a node that do not depend on where it runs (raw values, unquoted): replication,
    /// durability, timeouts tuned so a fault is noticed in seconds, and the spec's extra settings last.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> ServerSettings(ClusterSpec spec, string node)
    {
        var settings = new List<(string Name, string Value)>
        {
            ("cluster_name", node),
            ("password_encryption", "scram-sha-256"),
            ("wal_level", "replica"),
            ("max_wal_senders", "10"),
            ("max_replication_slots", "10"),
            ("wal_keep_size", "128MB"),
            ("hot_standby", "on"),
            // Durability stays on: a verdict about acknowledged writes means nothing without it.
            ("fsync", "on"),
            ("full_page_writes", "on"),
            ("synchronous_commit", SynchronousCommitValue(spec.SynchronousCommit)),
            ("synchronous_standby_names", spec.SynchronousStandbyNames),
            ("recovery_target_timeline", "latest"),
            // Faults must be noticed in seconds, not the default minute.
            ("wal_sender_timeout", "5s"),
            ("wal_receiver_timeout", "5s"),
            ("wal_retrieve_retry_interval", "1s"),
            ("wal_receiver_status_interval", "1s"),
            ("lc_messages", "C"),
            ("log_line_prefix", "%m [%p] %q%a "),
        };
        settings.AddRange(spec.ExtraSettings.Select(kv => (kv.Key, kv.Value)));
        return settings;
    }

    public static string PgHbaConf(string clientCidr = "127.0.0.1/32") =>
        $"""
        # Written by ChaosPg: loopback (or the run's own namespace subnet) only, SCRAM only, replication only for the replication role.
        host  all          all                          {clientCidr}  scram-sha-256
        host  replication  {ClusterRoles.Replication}  {clientCidr}  scram-sha-256

        """;

    /// <summary>postgresql.auto.conf of a standby streaming from <paramref name="upstream"/> through its slot.</summary>
    public static string StandbyAutoConf(string node, LinkEndpoint upstream, string passFile) =>
        $"""
        # Written by ChaosPg: standby settings of {node}
        primary_conninfo = {Quote(PrimaryConnInfo(node, upstream, passFile))}
        primary_slot_name = {Quote(SlotName(node))}

        """;

    public static string PrimaryConnInfo(string node, LinkEndpoint upstream, string passFile) =>
        $"host={upstream.Host} port={upstream.Port} user={ClusterRoles.Replication} application_name={node} passfile={passFile} {WalLinkOptions}";

    /// <summary>
    /// The connection options of every WAL stream, in both backends. The walreceiver makes its connects without
    /// connect_timeout, so tcp_user_timeout also bounds them (Linux applies it to SYN retries): a connect whose SYN is
    /// lost (a link cut at the wrong moment) fails after 5 s instead of the kernel's two minutes of retries.
    /// </summary>
    public const string WalLinkOptions = "sslmode=disable connect_timeout=2 tcp_user_timeout=5000";

    /// <summary>The physical slot that keeps WAL for <paramref name="node"/> on its upstream.</summary>
    public static string SlotName(string node) => node;

    private static string SynchronousCommitValue(SynchronousCommit level) => level switch
    {
        SynchronousCommit.Off => "off",
        SynchronousCommit.Local => "local",
        SynchronousCommit.RemoteWrite => "remote_write",
        SynchronousCommit.RemoteApply => "remote_apply",
        _ => "on",
    };

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
