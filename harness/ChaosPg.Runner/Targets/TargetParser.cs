using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ChaosPg.Cluster.Target;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace ChaosPg.Runner.Targets;

/// <summary>
/// Reads a target file (docs/targets.md) as strictly as a scenario: unknown keys, unknown fault commands, placeholders
/// without a value, connection strings that do not parse or that hold a password are all reported at once, each with
/// its line and column. Passwords are never read here: only the names of the variables that hold them.
/// </summary>
public sealed partial class TargetParser : StrictYamlParser
{
    private const int MaxSchemaPrefixLength = 40;

    // Every node the file names, even one with errors: links to it are checked against the names, not the results.
    private readonly HashSet<string> nodeNames = new(StringComparer.Ordinal);

    private TargetParser(string file)
        : base(file)
    {
    }

    /// <summary>Parses and validates target-file text; <paramref name="file"/> names it in errors.</summary>
    public static TargetParseResult Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new TargetParser(file);
        var target = parser.ParseDocument(text, file);
        var errors = parser.SortedErrors();
        return new TargetParseResult(errors.IsEmpty ? target! with { ContentSha256 = Sha256(text) } : null, errors);
    }

    /// <summary>Reads and validates a target file; throws <see cref="ScenarioValidationException"/> with every error.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static async Task<TargetSpec> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path).GetTargetOrThrow();
    }

    /// <summary>The SHA-256 of a target file's text, lower-case hex: what run.json records and a replay compares.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    protected override string Describe(string path) => path.Length == 0 ? "the target file" : path;

    private TargetSpec? ParseDocument(string text, string file)
    {
        if (LoadRoot(text, $"a mapping with the keys {string.Join(", ", TargetKeys.TopLevel)}", "a target file") is not { } root
            || Mapping(root, string.Empty, TargetKeys.TopLevel, "the target file") is not { } top)
        {
            return null;
        }

        var ownIt = top.TryGetValue(TargetKeys.OwnIt, out var ownNode)
            && OneOf(ownNode, TargetKeys.OwnIt, TargetKeys.OwnIt, ["true", "false"]) == "true";
        var prefix = TargetSpec.DefaultSchemaPrefix;
        if (top.TryGetValue(TargetKeys.SchemaPrefix, out var prefixNode) && Text(prefixNode, TargetKeys.SchemaPrefix, "a lower-case SQL name such as chaospg_run") is { } prefixText)
        {
            if (SchemaPrefixPattern().IsMatch(prefixText) && prefixText.Length <= MaxSchemaPrefixLength)
            {
                prefix = prefixText;
            }
            else
            {
                Fail(TargetKeys.SchemaPrefix, prefixNode.Start, $"schema-prefix '{prefixText}' is not a plain SQL name; expected lower-case letters, digits and _, at most {MaxSchemaPrefixLength} characters, e.g. chaospg_run");
            }
        }

        var sharedVariables = top.TryGetValue(TargetKeys.Variables, out var varsNode) ? Variables(varsNode, TargetKeys.Variables) : ImmutableDictionary<string, string>.Empty;
        var sharedCommands = top.TryGetValue(TargetKeys.Commands, out var commandsNode) ? Commands(commandsNode, TargetKeys.Commands) : ImmutableDictionary<string, (string Line, string Path)>.Empty;
        var nodes = Nodes(Required(top, root, string.Empty, TargetKeys.Nodes, "a mapping of node names (primary, replica1, ...) to their connections"), sharedVariables, sharedCommands);
        var toxiproxy = top.TryGetValue(TargetKeys.Toxiproxy, out var toxiproxyNode) ? Toxiproxy(toxiproxyNode) : null;
        Uri? rest = null;
        if (top.TryGetValue(TargetKeys.Manager, out var managerNode) && Mapping(managerNode, TargetKeys.Manager, TargetKeys.ManagerKeys, "manager") is { } manager)
        {
            rest = AbsoluteUri(Required(manager, managerNode, TargetKeys.Manager, TargetKeys.Rest, "the manager's REST API, e.g. http://10.0.0.5:8008"), $"{TargetKeys.Manager}.{TargetKeys.Rest}");
        }

        return new TargetSpec(file, nodes, toxiproxy, rest, prefix, ownIt);
    }

    private ImmutableArray<TargetNodeSpec> Nodes(YamlNode? node, ImmutableDictionary<string, string> sharedVariables, ImmutableDictionary<string, (string Line, string Path)> sharedCommands)
    {
        if (node is null || Mapping(node, TargetKeys.Nodes, null, "nodes") is not { } byName)
        {
            return [];
        }

        var nodes = ImmutableArray.CreateBuilder<TargetNodeSpec>();
        nodeNames.UnionWith(byName.Keys.Where(IsNodeName));
        foreach (var (name, value) in byName)
        {
            var path = TargetKeys.Node(name);
            if (!IsNodeName(name))
            {
                Fail(path, Marks[path], $"node name '{name}' is not one scenarios use; expected primary or replica1 to replica{NodeNames.MaxReplicas}");
                continue;
            }

            if (Node(name, value, path, sharedVariables, sharedCommands) is { } spec)
            {
                nodes.Add(spec);
            }
        }

        if (!byName.ContainsKey(NodeNames.Primary))
        {
            Fail(TargetKeys.Nodes, node.Start, "nodes has no node named primary; name the node that is primary when a run starts primary, the others replica1, replica2, ...");
        }

        return [.. nodes.OrderBy(n => n.Name == NodeNames.Primary ? 0 : 1).ThenBy(n => n.Name, StringComparer.Ordinal)];
    }

    private TargetNodeSpec? Node(string name, YamlNode node, string path, ImmutableDictionary<string, string> sharedVariables, ImmutableDictionary<string, (string Line, string Path)> sharedCommands)
    {
        if (Mapping(node, path, TargetKeys.NodeKeys, $"node {name}") is not { } keys)
        {
            return null;
        }

        var client = Connection(Required(keys, node, path, TargetKeys.Client, "the connection workload clients use: connection and password-env"), Child(path, TargetKeys.Client));
        var admin = Connection(Required(keys, node, path, TargetKeys.Admin, "a superuser connection straight to the server: connection and password-env"), Child(path, TargetKeys.Admin));
        var applicationName = keys.TryGetValue(TargetKeys.ApplicationName, out var appNode)
            ? Text(appNode, Child(path, TargetKeys.ApplicationName), "the node's application_name in pg_stat_replication") ?? name
            : name;
        var variables = sharedVariables.SetItems(keys.TryGetValue(TargetKeys.Variables, out var varsNode) ? Variables(varsNode, Child(path, TargetKeys.Variables)) : []);
        var commands = sharedCommands.SetItems(keys.TryGetValue(TargetKeys.Commands, out var commandsNode) ? Commands(commandsNode, Child(path, TargetKeys.Commands)) : []);
        foreach (var (command, (line, commandPath)) in commands.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var missing = TargetCommandLine.Placeholders(line).Where(p => p != TargetCommandLine.NodePlaceholder && !variables.ContainsKey(p)).ToList();
            if (missing.Count > 0)
            {
                Fail(commandPath, MarkOf(commandPath), $"the {command} command uses {string.Join(", ", missing.Select(p => "{" + p + "}"))}, which node {name} has no value for; set it under {path}.{TargetKeys.Variables} or {TargetKeys.Variables}");
            }
        }

        return client is null || admin is null
            ? null
            : new TargetNodeSpec(name, client, admin, applicationName, commands.ToImmutableDictionary(c => c.Key, c => c.Value.Line, StringComparer.Ordinal), variables);
    }

    private TargetConnection? Connection(YamlNode? node, string path)
    {
        if (node is null || Mapping(node, path, TargetKeys.ConnectionKeys, path) is not { } keys)
        {
            return null;
        }

        if (keys.TryGetValue(TargetKeys.Password, out var passwordNode))
        {
            Fail(Child(path, TargetKeys.Password), passwordNode.Start, "a password is written into the target file; remove it and name the environment variable that holds it with password-env");
        }

        string? variable = null;
        if (keys.TryGetValue(TargetKeys.PasswordEnv, out var envNode) && Text(envNode, Child(path, TargetKeys.PasswordEnv), "an environment variable name such as PGPASS_ADMIN") is { } envText)
        {
            if (EnvironmentVariablePattern().IsMatch(envText))
            {
                variable = envText;
            }
            else
            {
                Fail(Child(path, TargetKeys.PasswordEnv), envNode.Start, $"password-env '{envText}' is not an environment variable name; expected letters, digits and _, e.g. PGPASS_ADMIN");
            }
        }

        var connectionPath = Child(path, TargetKeys.Connection);
        if (RequiredText(keys, node, path, TargetKeys.Connection, "an Npgsql connection string such as Host=10.0.0.5;Port=5432;Username=postgres;Database=postgres") is not { } text)
        {
            return null;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException e)
        {
            Fail(connectionPath, MarkOf(connectionPath), $"not an Npgsql connection string ({e.Message}); expected Host=...;Port=...;Username=...;Database=...");
            return null;
        }

        if (builder.Password is not null)
        {
            Fail(connectionPath, MarkOf(connectionPath), "a password is written into the target file (Password= in the connection string); remove it and name the environment variable that holds it with password-env");
            return null;
        }

        if (string.IsNullOrEmpty(builder.Host) || builder.Host.Contains(',', StringComparison.Ordinal))
        {
            Fail(connectionPath, MarkOf(connectionPath), "the connection string must name exactly one Host: each node has its own connection");
            return null;
        }

        return new TargetConnection(text, variable);
    }

    private ImmutableDictionary<string, string> Variables(YamlNode node, string path)
    {
        var variables = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Mapping(node, path, null, path) ?? [])
        {
            var valuePath = Child(path, name);
            if (Text(value, valuePath, "a plain value such as a container or pod name") is not { } text)
            {
                continue;
            }

            if (!TargetCommandLine.IsPlainValue(text))
            {
                Fail(valuePath, value.Start, $"the value of {name} '{text}' would be read by the shell; expected letters, digits and ._/:@=- only");
                continue;
            }

            variables[name] = text;
        }

        return variables.ToImmutable();
    }

    private ImmutableDictionary<string, (string Line, string Path)> Commands(YamlNode node, string path)
    {
        var commands = ImmutableDictionary.CreateBuilder<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (name, value) in Mapping(node, path, null, path) ?? [])
        {
            var commandPath = Child(path, name);
            if (!TargetCommands.All.Contains(name))
            {
                Fail(commandPath, value.Start, $"unknown fault command '{name}'; expected one of: {string.Join(", ", TargetCommands.All)}");
                continue;
            }

            if (Text(value, commandPath, "a shell command line such as docker kill -s KILL {container}") is { } line)
            {
                commands[name] = (line, commandPath);
            }
        }

        return commands.ToImmutable();
    }

    private TargetToxiproxy? Toxiproxy(YamlNode node)
    {
        const string path = TargetKeys.Toxiproxy;
        if (Mapping(node, path, TargetKeys.ToxiproxyKeys, "toxiproxy") is not { } keys)
        {
            return null;
        }

        var url = AbsoluteUri(Required(keys, node, path, TargetKeys.Url, "the Toxiproxy API, e.g. http://127.0.0.1:8474"), Child(path, TargetKeys.Url));
        var linksPath = Child(path, TargetKeys.Links);
        var links = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var linksNode = Required(keys, node, path, TargetKeys.Links, "a mapping of links (client->primary, replica1->primary) to the names of their proxies");
        foreach (var (link, value) in linksNode is null ? [] : Mapping(linksNode, linksPath, null, linksPath) ?? [])
        {
            var linkPath = Child(linksPath, link);
            if (!Link.TryParse(link, out var parsed) || !IsLinkOf(parsed!))
            {
                Fail(linkPath, Marks[linkPath], $"'{link}' is not a link of this target; expected client->NODE or REPLICA->UPSTREAM with nodes {string.Join(", ", nodeNames.Order(StringComparer.Ordinal))}");
                continue;
            }

            if (Text(value, linkPath, "the name of the Toxiproxy proxy that carries the link") is { } proxy)
            {
                links[parsed!.ToString()] = proxy;
            }
        }

        return url is null ? null : new TargetToxiproxy(url, links.ToImmutable());
    }

    private Uri? AbsoluteUri(YamlNode? node, string path)
    {
        if (node is null || Text(node, path, "an http:// or https:// URL") is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        Fail(path, node.Start, $"'{text}' is not an http:// or https:// URL");
        return null;
    }

    private bool IsLinkOf(Link link) =>
        nodeNames.Contains(link.To) && (link.IsClientLink || (nodeNames.Contains(link.From) && link.From != link.To));

    private static bool IsNodeName(string name) =>
        name == NodeNames.Primary || Enumerable.Range(1, NodeNames.MaxReplicas).Any(i => name == NodeNames.Replica(i));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SchemaPrefixPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariablePattern();
}
