using System.Collections.Immutable;
using ChaosPg.Cluster.Target;
using Npgsql;

namespace ChaosPg.Cluster.Local;

/// <summary>
/// Describes a local cluster as a target file: connections to each node and its client link, and fault commands that
/// act on the postmaster through its pid file and pg_ctl, as the server user. What another process needs to drive
/// this cluster exactly as ChaosPg's own backend would, without reaching into this process.
/// </summary>
internal static class LocalTargetDescriber
{
    public const string SuperuserPasswordVariable = "CHAOSPG_TARGET_SUPERUSER_PASSWORD";
    public const string AppPasswordVariable = "CHAOSPG_TARGET_APP_PASSWORD";

    private const string Postmaster = "pid=$(head -n 1 {data}/postmaster.pid)";

    // The node's log belongs to the harness (its shell opens it before switching user), so the server's output is
    // appended by this shell too, never by pg_ctl -l as the server user; and no pipe is left open to the caller.
    private const string ToLog = " >>{log} 2>&1 </dev/null";

    public static TargetDescription Describe(LocalCluster cluster, RunSecrets secrets, string file)
    {
        var pgCtl = cluster.Binaries.Tool("pg_ctl");
        string AsServerUser(params string[] arguments)
        {
            var (fileName, args) = cluster.User.Command(pgCtl, arguments);
            return string.Join(' ', new[] { fileName }.Concat(args).Select(ShellQuoting.Quote));
        }

        // Each command returns once its effect is there: kill once the postmaster is gone, start and restart once it
        // accepts connections (-w), pause once every process of the server is stopped.
        var commands = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [TargetCommands.Kill] = $"{Postmaster} && kill -KILL \"$pid\" && while kill -0 \"$pid\" 2>/dev/null; do sleep 0.05; done",
            [TargetCommands.Start] = AsServerUser("-D", "{data}", "-w", "-t", "60", "start") + ToLog,
            [TargetCommands.Restart] = AsServerUser("-D", "{data}", "-m", "fast", "-w", "-t", "60", "restart") + ToLog,
            [TargetCommands.Pause] = $"{Postmaster} && kill -STOP \"$pid\" && {{ pkill -STOP -P \"$pid\" || true; }}",
            [TargetCommands.Resume] = $"{Postmaster} && {{ pkill -CONT -P \"$pid\" || true; }} && kill -CONT \"$pid\"",
            [TargetCommands.Promote] = AsServerUser("-D", "{data}", "-w", "-t", "60", "promote"),
        });
        var nodes = cluster.Nodes.Select(node => new TargetNodeSpec(
            node.Name,
            new TargetConnection(Connection(node.ClientEndpoint, ClusterRoles.App), AppPasswordVariable),
            new TargetConnection(Connection(node.Endpoint, ClusterRoles.Superuser), SuperuserPasswordVariable),
            node.Name,
            commands,
            ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["data"] = node.DataDirectory, ["log"] = node.LogFile })));
        var spec = new TargetSpec(file, [.. nodes], Toxiproxy: null, ManagerRest: null, TargetSpec.DefaultSchemaPrefix, OwnershipConfirmed: true);
        return new TargetDescription(spec, ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [SuperuserPasswordVariable] = secrets.Superuser,
            [AppPasswordVariable] = secrets.App,
        }));
    }

    private static string Connection(LinkEndpoint endpoint, string user) => new NpgsqlConnectionStringBuilder
    {
        Host = endpoint.Host,
        Port = endpoint.Port,
        Username = user,
        Database = ClusterRoles.AppDatabase,
        SslMode = SslMode.Disable,
        Timeout = 5,
    }.ConnectionString;
}
