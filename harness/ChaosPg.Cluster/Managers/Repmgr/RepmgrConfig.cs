using System.Globalization;
using System.Text;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// The files of a repmgr member. Each member names the others by libpq service (<c>service=replica1</c>) and its own
/// pg_service.conf says where that is for it: itself directly, every other node through that node's
/// <c>peers-&gt;node</c> link, the witness through its <c>node-&gt;witness</c> link. So the one conninfo repmgr keeps
/// per node in repmgr.nodes (and writes into primary_conninfo) reaches each node through the proxy from everywhere
/// else, while a repmgrd's check of its own server never crosses a link.
/// </summary>
internal static class RepmgrConfig
{
    /// <summary>The conninfo of <paramref name="name"/> as repmgr stores and uses it (the password comes from the passfile).</summary>
    public static string ConnInfo(string name) => $"service={name} user={ClusterRoles.Superuser} dbname={ClusterRoles.AppDatabase} connect_timeout=2";

    /// <summary>The environment of every repmgr, repmgrd, pg_ctl and server process of <paramref name="member"/>.</summary>
    public static IReadOnlyDictionary<string, string> Environment(RepmgrMember member, string passFile) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["PGSERVICEFILE"] = member.ServiceFile, ["PGPASSFILE"] = passFile };

    /// <summary>pg_ctl's arguments to start <paramref name="member"/>'s server with its outside config, logging to its server log.</summary>
    public static IReadOnlyList<string> StartArguments(RepmgrMember member) =>
        ["-w", "-t", "120", "-D", member.DataDirectory, "-o", $"-c config_file={member.PostgresqlConf}", "-l", member.ServerLog, "start"];

    /// <summary>postgresql.conf of a node: the local backend's settings (durability on, fast fault detection) and repmgr's library.</summary>
    public static string PostgresqlConf(ClusterSpec spec, RepmgrMember member) =>
        NodeConfig.PostgresqlConf(spec, member.Name, member.Port) + "shared_preload_libraries = 'repmgr'\n";

    /// <summary>
    /// repmgr.conf of <paramref name="member"/>: automatic failover, promote and follow through repmgr with this
    /// file, short timings, its own pid file, and pg_ctl commands that give the server its outside config.
    /// </summary>
    public static string RepmgrConf(RepmgrMember member, RepmgrSettings settings, PgBinaries binaries)
    {
        var pgCtl = binaries.Tool("pg_ctl");
        var start = $"{pgCtl} {string.Join(' ', StartArguments(member).Select(ShellWord))}";
        var repmgr = binaries.Tool("repmgr");
        IEnumerable<(string Name, string Value)> settingsList =
        [
            ("node_id", member.Id.ToString(CultureInfo.InvariantCulture)),
            ("node_name", member.Name),
            ("conninfo", ConnInfo(member.Name)),
            ("data_directory", member.DataDirectory),
            ("replication_user", ClusterRoles.Replication),
            ("use_replication_slots", "yes"),
            ("pg_bindir", binaries.BinDirectory),
            ("location", "default"),
            ("failover", "automatic"),
            ("promote_command", $"{repmgr} standby promote -f {member.RepmgrConf}"),
            ("follow_command", $"{repmgr} standby follow -f {member.RepmgrConf} --upstream-node-id=%n"),
            ("reconnect_attempts", settings.ReconnectAttempts.ToString(CultureInfo.InvariantCulture)),
            ("reconnect_interval", RepmgrSettings.Seconds(settings.ReconnectInterval)),
            ("monitor_interval_secs", RepmgrSettings.Seconds(settings.MonitorInterval)),
            ("repmgrd_pid_file", member.PidFile),
            ("service_start_command", start),
            ("service_stop_command", $"{pgCtl} -w -D {ShellWord(member.DataDirectory)} -m fast stop"),
            ("service_restart_command", $"{pgCtl} -w -t 120 -D {ShellWord(member.DataDirectory)} -m fast restart"),
            ("service_reload_command", $"{pgCtl} -D {ShellWord(member.DataDirectory)} reload"),
            ("promote_check_timeout", "30"),
        ];
        var builder = new StringBuilder("# Written by ChaosPg for ").Append(member.Name).Append('\n');
        foreach (var (name, value) in settingsList)
        {
            builder.Append(name).Append('=').Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        return builder.ToString();
    }

    /// <summary>pg_service.conf of a member: each name in <paramref name="portsByName"/> on 127.0.0.1 at that port.</summary>
    public static string ServiceFile(IEnumerable<(string Name, int Port)> portsByName)
    {
        var builder = new StringBuilder("# Written by ChaosPg: where this member reaches each member of the cluster\n");
        foreach (var (name, port) in portsByName)
        {
            builder.Append('[').Append(name).Append("]\nhost=127.0.0.1\nport=").Append(port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return builder.ToString();
    }

    // repmgr runs its commands through the shell: a word with a space (the -o option) is double-quoted.
    private static string ShellWord(string word) => word.Contains(' ', StringComparison.Ordinal) ? $"\"{word}\"" : word;
}
