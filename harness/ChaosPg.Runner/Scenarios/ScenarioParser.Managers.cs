using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Cluster.Managers.Repmgr;
using ChaosPg.Cluster.Providers;
using YamlDotNet.RepresentationModel;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// <c>cluster.manager</c>: a manager's name, or a mapping of <c>name</c> and that manager's settings in kebab case.
/// Each manager with settings has one small parse function here and its keys in <see cref="ManagerKeys"/>.
/// </summary>
public sealed partial class ScenarioParser
{
    private static readonly ImmutableArray<string> SynchronousModes = ["off", "on", "strict"];

    // The keys of each manager's mapping; a manager not listed takes name alone.
    private static readonly ImmutableDictionary<string, ImmutableArray<string>> ManagerKeys =
        new Dictionary<string, ImmutableArray<string>>
        {
            [ClusterAxisNames.Patroni] = ScenarioKeys.PatroniKeys,
            [ClusterAxisNames.Repmgr] = ScenarioKeys.RepmgrKeys,
        }.ToImmutableDictionary(StringComparer.Ordinal);

    private ScenarioCluster Manager(ScenarioCluster cluster, YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            return cluster with { Manager = Text(node, path, "a manager name such as patroni, or a mapping with name and the manager's settings") ?? ClusterAxisNames.None };
        }

        // The name decides which keys the rest of the mapping may have.
        string? name = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: ScenarioKeys.Name }).Value is { } nameNode
            ? Text(nameNode, Child(path, ScenarioKeys.Name), "a manager name such as patroni")
            : null;
        if (name is null)
        {
            if (!IsBroken(Child(path, ScenarioKeys.Name)))
            {
                Fail(Child(path, ScenarioKeys.Name), node.Start, "missing key 'name' in cluster.manager; expected the manager's name, e.g. name: patroni");
            }

            return cluster;
        }

        ImmutableArray<string> allowed = ManagerKeys.GetValueOrDefault(name, [ScenarioKeys.Name]);
        if (Mapping(node, path, allowed, $"cluster.manager ({name})") is not { } keys)
        {
            return cluster with { Manager = name };
        }

        cluster = cluster with { Manager = name };
        return name switch
        {
            ClusterAxisNames.Patroni => cluster with { Patroni = Patroni(keys, path) },
            ClusterAxisNames.Repmgr => cluster with { Repmgr = Repmgr(keys, path) },
            _ => cluster,
        };
    }

    private RepmgrSettings Repmgr(Dictionary<string, YamlNode> keys, string path) =>
        keys.TryGetValue(ScenarioKeys.Witness, out var witness)
            ? new RepmgrSettings { Witness = OneOf(witness, Child(path, ScenarioKeys.Witness), "witness", ["true", "false"]) == "true" }
            : new RepmgrSettings();

    private PatroniSettings Patroni(Dictionary<string, YamlNode> keys, string path)
    {
        var settings = new PatroniSettings();
        TimeSpan? Seconds(string key, TimeSpan fallback)
        {
            if (!keys.TryGetValue(key, out var node))
            {
                return fallback;
            }

            // Patroni takes whole seconds.
            TimeSpan? value = Duration(node, Child(path, key));
            if (value is { } v && v.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                Fail(Child(path, key), node.Start, $"{key} {Core.Schedule.DurationText.Format(v)} is not whole seconds; Patroni takes seconds (e.g. 10s)");
                return null;
            }

            return value;
        }

        settings = settings with
        {
            Ttl = Seconds(ScenarioKeys.Ttl, settings.Ttl) ?? settings.Ttl,
            LoopWait = Seconds(ScenarioKeys.LoopWait, settings.LoopWait) ?? settings.LoopWait,
            RetryTimeout = Seconds(ScenarioKeys.RetryTimeout, settings.RetryTimeout) ?? settings.RetryTimeout,
        };
        if (keys.TryGetValue(ScenarioKeys.MaximumLagOnFailover, out var lagNode) && Size(lagNode, Child(path, ScenarioKeys.MaximumLagOnFailover)) is { } lag)
        {
            settings = settings with { MaximumLagOnFailover = lag };
        }

        if (keys.TryGetValue(ScenarioKeys.SynchronousMode, out var modeNode))
        {
            string? mode = OneOf(modeNode, Child(path, ScenarioKeys.SynchronousMode), "synchronous-mode", SynchronousModes);
            settings = settings with { SynchronousMode = mode is "on" or "strict", SynchronousModeStrict = mode == "strict" };
        }

        if (keys.TryGetValue(ScenarioKeys.EtcdMembers, out var membersNode) && WholeNumber(membersNode, Child(path, ScenarioKeys.EtcdMembers)) is { } members)
        {
            settings = settings with { EtcdMembers = members };
        }

        return settings;
    }

    // A size as PostgreSQL writes one: a whole number of bytes, or of kB, MB or GB (1024 each).
    private long? Size(YamlNode node, string path)
    {
        const string expected = "a whole number of bytes, or of kB, MB or GB (e.g. 1048576, 512kB, 1MB)";
        if (Text(node, path, expected) is not { } text)
        {
            return null;
        }

        int digits = text.TakeWhile(char.IsAsciiDigit).Count();
        long unit = text[digits..] switch
        {
            "" or "B" => 1,
            "kB" => 1024,
            "MB" => 1024 * 1024,
            "GB" => 1024 * 1024 * 1024,
            _ => 0,
        };
        if (digits is > 0 and <= 12 && unit > 0)
        {
            return long.Parse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture) * unit;
        }

        Fail(path, node.Start, $"{Leaf(path)} '{text}' is not a size; expected {expected}");
        return null;
    }
}
