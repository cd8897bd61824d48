using System.Collections.Immutable;
using System.Text;
using ChaosPg.Cluster.Target;

namespace ChaosPg.Runner.Targets;

/// <summary>
/// Writes a target spec as a target file that <see cref="TargetParser"/> reads back to the same spec: commands that
/// every node shares once at the top, the rest per node. It never writes a password: only the variables' names.
/// </summary>
public static class TargetWriter
{
    /// <summary>The target file's text; <paramref name="header"/> lines become comments at the top.</summary>
    public static string Write(TargetSpec target, IEnumerable<string>? header = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var text = new StringBuilder();
        foreach (var line in header ?? [])
        {
            text.Append("# ").AppendLine(line);
        }

        text.AppendLine($"{TargetKeys.OwnIt}: {(target.OwnershipConfirmed ? "true" : "false")}");
        text.AppendLine($"{TargetKeys.SchemaPrefix}: {target.SchemaPrefix}");
        var shared = target.Nodes.Length > 0 && target.Nodes.All(n => SameCommands(n.Commands, target.Nodes[0].Commands))
            ? target.Nodes[0].Commands
            : null;
        if (shared is { Count: > 0 })
        {
            text.AppendLine($"{TargetKeys.Commands}:");
            WriteCommands(text, shared, "  ");
        }

        if (target.Toxiproxy is { } toxiproxy)
        {
            text.AppendLine($"{TargetKeys.Toxiproxy}:");
            text.AppendLine($"  {TargetKeys.Url}: {Quote(toxiproxy.Url.ToString())}");
            text.AppendLine($"  {TargetKeys.Links}:");
            foreach (var (link, proxy) in toxiproxy.Links.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"    {Quote(link)}: {Quote(proxy)}");
            }
        }

        if (target.ManagerRest is { } rest)
        {
            text.AppendLine($"{TargetKeys.Manager}:");
            text.AppendLine($"  {TargetKeys.Rest}: {Quote(rest.ToString())}");
        }

        text.AppendLine($"{TargetKeys.Nodes}:");
        foreach (var node in target.Nodes)
        {
            text.AppendLine($"  {node.Name}:");
            WriteConnection(text, TargetKeys.Client, node.Client);
            WriteConnection(text, TargetKeys.Admin, node.Admin);
            if (node.ApplicationName != node.Name)
            {
                text.AppendLine($"    {TargetKeys.ApplicationName}: {Quote(node.ApplicationName)}");
            }

            if (node.Variables.Count > 0)
            {
                text.AppendLine($"    {TargetKeys.Variables}:");
                foreach (var (name, value) in node.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    text.AppendLine($"      {name}: {Quote(value)}");
                }
            }

            if (shared is null && node.Commands.Count > 0)
            {
                text.AppendLine($"    {TargetKeys.Commands}:");
                WriteCommands(text, node.Commands, "      ");
            }
        }

        return text.ToString();
    }

    private static void WriteConnection(StringBuilder text, string key, TargetConnection connection)
    {
        text.AppendLine($"    {key}:");
        text.AppendLine($"      {TargetKeys.Connection}: {Quote(connection.ConnectionString)}");
        if (connection.PasswordEnvironmentVariable is { } variable)
        {
            text.AppendLine($"      {TargetKeys.PasswordEnv}: {variable}");
        }
    }

    private static void WriteCommands(StringBuilder text, ImmutableDictionary<string, string> commands, string indent)
    {
        foreach (var name in TargetCommands.All.Where(commands.ContainsKey))
        {
            text.AppendLine($"{indent}{name}: {Quote(commands[name])}");
        }
    }

    private static bool SameCommands(ImmutableDictionary<string, string> a, ImmutableDictionary<string, string> b) =>
        a.Count == b.Count && a.All(c => b.TryGetValue(c.Key, out var other) && other == c.Value);

    // YAML double quotes: only the backslash and the double quote need escaping.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
