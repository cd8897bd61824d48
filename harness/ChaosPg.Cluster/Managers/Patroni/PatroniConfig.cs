using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// Writes a node's patroni.yml. It is written as JSON, which is YAML too: the serializer quotes every value, so no
/// setting can change meaning through YAML's implicit typing. Passwords are not in it (see <see cref="Environment"/>).
/// </summary>
public static class PatroniConfig
{
    /// <summary>Settings Patroni sets itself (cluster_name is the scope): passing them would fight it.</summary>
    private static readonly HashSet<string> PatroniOwned = new(StringComparer.Ordinal)
    {
        "synchronous_standby_names", "recovery_target_timeline", "cluster_name",
    };

    /// <summary>The patroni.yml of one node.</summary>
    public static string Render(ClusterSpec spec, PatroniSettings settings, PatroniNodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(node);
        if (spec.ReplicationMode == ReplicationMode.Quorum)
        {
            throw new ClusterConfigurationException("replication: quorum is not available with manager patroni (Patroni 3.0 has no quorum commit); use sync or async.");
        }

        var synchronous = settings.SynchronousMode || spec.ReplicationMode == ReplicationMode.Sync;
        var parameters = new JsonObject();
        foreach (var (name, value) in NodeConfig.ServerSettings(spec, node.Node).Where(s => !PatroniOwned.Contains(s.Name)))
        {
            parameters[name] = value;
        }

        // No Unix socket: Patroni then reaches its server over TCP on 127.0.0.1, like everything else.
        parameters["unix_socket_directories"] = string.Empty;
        var config = new JsonObject
        {
            ["scope"] = node.Scope,
            ["namespace"] = Namespace,
            ["name"] = node.Node,
            ["log"] = new JsonObject { ["level"] = "INFO" },
            ["restapi"] = new JsonObject
            {
                ["listen"] = Format(node.RestListen),
                ["connect_address"] = Format(node.RestConnect),
            },
            ["etcd3"] = new JsonObject
            {
                ["hosts"] = new JsonArray([.. node.EtcdHosts.Select(h => (JsonNode)Format(h))]),
                ["protocol"] = "http",
                // The hosts are proxies: without this Patroni asks etcd for its members' own URLs and goes around them.
                ["use_proxies"] = true,
            },
            ["bootstrap"] = new JsonObject
            {
                ["dcs"] = new JsonObject
                {
                    ["ttl"] = Seconds(settings.Ttl),
                    ["loop_wait"] = Seconds(settings.LoopWait),
                    ["retry_timeout"] = Seconds(settings.RetryTimeout),
                    ["maximum_lag_on_failover"] = settings.MaximumLagOnFailover,
                    ["synchronous_mode"] = synchronous,
                    ["synchronous_mode_strict"] = settings.SynchronousModeStrict,
                    ["synchronous_node_count"] = synchronous ? spec.Quorum : 1,
                    ["postgresql"] = new JsonObject
                    {
                        ["use_pg_rewind"] = true,
                        ["use_slots"] = true,
                        ["parameters"] = parameters,
                    },
                },
                // Patroni's custom bootstrap: instead of initdb (seconds under load), the copy of the local backend's
                // template (initdb'd once with data checksums, so pg_rewind works; it holds the roles and the database
                // but no password) that the harness staged for the node. Patroni then starts it with trust for its own
                // address only, sets the superuser's, the replicator's and the app role's passwords (post_bootstrap),
                // writes pg_hba and takes the leader key.
                ["method"] = TemplateMethod,
                [TemplateMethod] = TemplateMethodConfig(node),
            },
            ["postgresql"] = new JsonObject
            {
                ["listen"] = Format(node.PgListen),
                ["connect_address"] = Format(node.PgConnect),
                ["data_dir"] = node.DataDirectory,
                ["bin_dir"] = node.BinDirectory,
                ["pgpass"] = node.PassFile,
                // The template has no postgres database (every node would copy it): Patroni connects to the app's.
                ["database"] = ClusterRoles.AppDatabase,
                // During bring-up the leader's WAL still starts at the template's checkpoint, so a copy of the template is
                // a replica that streams from there, as the local backend's are. Afterwards no copy is staged, the method
                // fails and Patroni falls back to pg_basebackup: a node rebuilt later needs the leader's current data.
                ["create_replica_methods"] = new JsonArray(TemplateMethod, "basebackup"),
                [TemplateMethod] = TemplateMethodConfig(node),
                // A replica's pg_basebackup must not wait for a spread checkpoint (minutes on a loaded disk).
                ["basebackup"] = new JsonArray(new JsonObject { ["checkpoint"] = "fast" }),
                ["use_unix_socket"] = false,
                ["use_unix_socket_repl"] = false,
                ["authentication"] = new JsonObject
                {
                    ["superuser"] = new JsonObject { ["username"] = ClusterRoles.Superuser },
                    ["replication"] = new JsonObject { ["username"] = ClusterRoles.Replication },
                    ["rewind"] = new JsonObject { ["username"] = ClusterRoles.Superuser },
                },
                ["pg_hba"] = new JsonArray(
                    "host all all 127.0.0.1/32 scram-sha-256",
                    $"host replication {ClusterRoles.Replication} 127.0.0.1/32 scram-sha-256"),
            },
            // No watchdog device on a shared host: a leader whose Patroni dies is not fenced. Runs exist to show that.
            ["watchdog"] = new JsonObject { ["mode"] = "off" },
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// The environment that hands Patroni the run's passwords (Patroni reads and removes these variables at start, so
    /// the servers it launches do not inherit them); the REST API then requires basic auth for what changes state.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(string superuserPassword, string replicationPassword, string appPassword, string restPassword) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATRONI_SUPERUSER_PASSWORD"] = superuserPassword,
            ["PATRONI_REPLICATION_PASSWORD"] = replicationPassword,
            ["PATRONI_REWIND_PASSWORD"] = superuserPassword,
            // PATRONI_<user>_PASSWORD: the bootstrapping node's post_bootstrap gives that role (the template's app role) its
            // password. The name keeps its case, hence a lower-case variable name.
            [$"PATRONI_{ClusterRoles.App}_PASSWORD"] = appPassword,
            ["PATRONI_RESTAPI_USERNAME"] = RestUser,
            ["PATRONI_RESTAPI_PASSWORD"] = restPassword,
        };

    /// <summary>Where the run's keys live in etcd: Patroni's namespace, then the scope.</summary>
    public const string Namespace = "/chaospg/";

    /// <summary>The REST API's basic-auth user.</summary>
    public const string RestUser = "chaospg";

    /// <summary>The DCS key Patroni takes first when it bootstraps <paramref name="scope"/>: while it exists no other member can.</summary>
    public static string InitializeKey(string scope) => $"{Namespace}{scope}/initialize";

    /// <summary>The name of the bootstrap and replica method that copies the template.</summary>
    public const string TemplateMethod = "chaospg_template";

    /// <summary>
    /// The method's command moves the staged copy into place (one rename: <c>mv -T</c> replaces the empty data directory
    /// or makes it where Patroni removed it) and fails, with a line in Patroni's log, when none is staged. Patroni splits
    /// it as a shell would (shlex) and runs it as the server user; no_params, since it names the directories itself.
    /// </summary>
    private static JsonObject TemplateMethodConfig(PatroniNodeConfig node)
    {
        var staged = ShellQuoting.Quote(node.StagedCopy);
        var script = $"test -d {staged} || {{ echo 'no copy of the template is staged (only bring-up stages one)' >&2; exit 1; }}; exec mv -T {staged} {ShellQuoting.Quote(node.DataDirectory)}";
        return new JsonObject
        {
            ["command"] = "/bin/sh -c " + ShellQuoting.Quote(script),
            ["no_params"] = true,
        };
    }

    private static string Format(LinkEndpoint endpoint) => string.Create(CultureInfo.InvariantCulture, $"{endpoint.Host}:{endpoint.Port}");

    private static int Seconds(TimeSpan value) => (int)Math.Ceiling(value.TotalSeconds);
}
