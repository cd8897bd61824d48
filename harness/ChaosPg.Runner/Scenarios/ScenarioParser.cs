using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using ReplicationMode = ChaosPg.Cluster.ReplicationMode;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// Reads a scenario file strictly: unknown keys, wrong types, bad durations and everything
/// <see cref="ScenarioValidator"/> finds are all reported at once, each with the line and column it comes from.
/// </summary>
public sealed class ScenarioParser
{
    private static readonly ImmutableArray<string> StepKeys =
    [
        ScenarioKeys.At, ScenarioKeys.Fault, ScenarioKeys.Action, ScenarioKeys.Target, ScenarioKeys.For,
        ScenarioKeys.Latency, ScenarioKeys.Jitter, ScenarioKeys.Direction, ScenarioKeys.Rate, ScenarioKeys.Deadline,
        ScenarioKeys.Probability,
    ];

    private static readonly ImmutableArray<string> Faults =
        ["partition", "blackhole", "isolate", "latency", "bandwidth", "reset", "loss", "kill", "pause", "restart", "terminate-backends"];

    private static readonly ImmutableArray<string> Actions = ["promote", "rejoin", "heal", "wait-converged"];

    private static readonly ImmutableArray<string> Verdicts = ["valid", "invalid", "any"];

    private static readonly ImmutableArray<string> LostWritesValues = ["forbidden", "allowed"];

    private static readonly ImmutableArray<string> ReplicationValues = ["async", "sync", "quorum"];

    private static readonly ImmutableArray<string> Directions = ["both", "upstream", "downstream"];

    // The keys each kind of step takes besides at and fault/action.
    private static readonly ImmutableDictionary<string, ImmutableArray<string>> StepParameters =
        new Dictionary<string, ImmutableArray<string>>
        {
            ["partition"] = [ScenarioKeys.Target, ScenarioKeys.Direction, ScenarioKeys.For],
            ["blackhole"] = [ScenarioKeys.Target, ScenarioKeys.For],
            ["isolate"] = [ScenarioKeys.Target, ScenarioKeys.For],
            ["latency"] = [ScenarioKeys.Target, ScenarioKeys.Latency, ScenarioKeys.Jitter, ScenarioKeys.Direction, ScenarioKeys.For],
            ["bandwidth"] = [ScenarioKeys.Target, ScenarioKeys.Rate, ScenarioKeys.For],
            ["reset"] = [ScenarioKeys.Target, ScenarioKeys.For],
            ["loss"] = [ScenarioKeys.Target, ScenarioKeys.Probability, ScenarioKeys.Direction, ScenarioKeys.For],
            ["kill"] = [ScenarioKeys.Target, ScenarioKeys.For],
            ["pause"] = [ScenarioKeys.Target, ScenarioKeys.For],
            ["restart"] = [ScenarioKeys.Target],
            ["terminate-backends"] = [ScenarioKeys.Target],
            ["promote"] = [ScenarioKeys.Target],
            ["rejoin"] = [ScenarioKeys.Target],
            ["heal"] = [],
            ["wait-converged"] = [ScenarioKeys.Deadline],
        }.ToImmutableDictionary(StringComparer.Ordinal);

    private readonly string file;
    private readonly List<ScenarioError> errors = [];
    private readonly Dictionary<string, Mark> marks = new(StringComparer.Ordinal);
    private readonly HashSet<string> brokenPaths = new(StringComparer.Ordinal);
    private Mark documentStart = Mark.Empty;

    private ScenarioParser(string file)
    {
        this.file = file;
    }

    /// <summary>Parses and validates scenario text; <paramref name="file"/> names it in errors.</summary>
    public static ScenarioParseResult Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var parser = new ScenarioParser(file);
        Scenario? scenario = parser.ParseDocument(text);
        ImmutableArray<ScenarioError> errors =
            [.. parser.errors.OrderBy(e => e.Line).ThenBy(e => e.Column).Distinct()];
        return new ScenarioParseResult(errors.IsEmpty ? scenario : null, errors);
    }

    /// <summary>Reads and validates a scenario file; throws <see cref="ScenarioValidationException"/> with every error.</summary>
    public static async Task<Scenario> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        string text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path).GetScenarioOrThrow();
    }

    private Scenario? ParseDocument(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Error(e.Start, $"not valid YAML: {e.Message}");
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some malformed input (an unclosed flow sequence) and gives no position.
            Error(Mark.Empty, $"not valid YAML (position unknown): {e.Message}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            Error(Mark.Empty, $"the file is empty; expected a mapping with the keys {string.Join(", ", ScenarioKeys.TopLevel)}");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode.Start, $"expected one YAML document, found {stream.Documents.Count}");
        }

        YamlNode root = stream.Documents[0].RootNode;
        documentStart = root.Start;
        if (Mapping(root, string.Empty, ScenarioKeys.TopLevel, "the scenario") is not { } top)
        {
            return null;
        }

        string name = RequiredText(top, root, string.Empty, ScenarioKeys.Name, "a name such as replica-partition-heal") ?? string.Empty;
        string description = RequiredText(top, root, string.Empty, ScenarioKeys.Description, "a sentence saying what the scenario proves") ?? string.Empty;
        ImmutableArray<string> tags = top.TryGetValue(ScenarioKeys.Tags, out var tagsNode) ? Tags(tagsNode) : [];
        ScenarioCluster cluster = Cluster(Required(top, root, string.Empty, ScenarioKeys.Cluster, "a mapping with at least replicas"));
        ScenarioWorkload workload = Workload(Required(top, root, string.Empty, ScenarioKeys.Workload, "a mapping with at least kind and writers"));
        TimeSpan duration = Duration(Required(top, root, string.Empty, ScenarioKeys.Duration, "the workload's length, e.g. 20s"), ScenarioKeys.Duration) ?? TimeSpan.Zero;
        ImmutableArray<ScheduleStep> schedule = top.TryGetValue(ScenarioKeys.Schedule, out var scheduleNode) ? Schedule(scheduleNode) : [];
        ScenarioExpectations expect = top.TryGetValue(ScenarioKeys.Expect, out var expectNode) ? Expectations(expectNode) : ScenarioExpectations.Default;

        var scenario = new Scenario(name, description, tags, cluster, workload, duration, schedule, expect);
        bool canSimulate = !IsBroken(ScenarioKeys.Schedule)
            && !IsBroken($"{ScenarioKeys.Cluster}.{ScenarioKeys.Replicas}")
            && !IsBroken(ScenarioKeys.Duration);
        foreach (ScenarioIssue issue in ScenarioValidator.Validate(scenario, canSimulate))
        {
            if (!IsBroken(issue.Path))
            {
                Error(MarkOf(issue.Path), issue.Message);
            }
        }

        return scenario;
    }

    private ImmutableArray<string> Tags(YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Fail(ScenarioKeys.Tags, node.Start, "tags must be a list, e.g. [release]");
            return [];
        }

        var tags = ImmutableArray.CreateBuilder<string>();
        foreach (var (item, index) in sequence.Children.Select((n, i) => (n, i)))
        {
            string path = $"{ScenarioKeys.Tags}[{index}]";
            marks[path] = item.Start;
            if (Text(item, path, "a tag such as release") is { } tag)
            {
                tags.Add(tag);
            }
        }

        return tags.ToImmutable();
    }

    private ScenarioCluster Cluster(YamlNode? node)
    {
        const string path = ScenarioKeys.Cluster;
        var fallback = new ScenarioCluster(0, ReplicationMode.Async, null, "on", ImmutableSortedDictionary<string, string>.Empty);
        if (node is null || Mapping(node, path, ScenarioKeys.ClusterKeys, "cluster") is not { } keys)
        {
            return fallback;
        }

        int replicas = Int(Required(keys, node, path, ScenarioKeys.Replicas, $"the number of replicas, {NodeNames.MinReplicas} to {NodeNames.MaxReplicas}"), Child(path, ScenarioKeys.Replicas)) ?? 0;
        var replication = keys.TryGetValue(ScenarioKeys.Replication, out var replicationNode)
            ? OneOf(replicationNode, Child(path, ScenarioKeys.Replication), "replication", ReplicationValues) switch
            {
                "sync" => ReplicationMode.Sync,
                "quorum" => ReplicationMode.Quorum,
                _ => ReplicationMode.Async,
            }
            : ReplicationMode.Async;
        int? quorum = keys.TryGetValue(ScenarioKeys.Quorum, out var quorumNode) ? Int(quorumNode, Child(path, ScenarioKeys.Quorum)) : null;
        string synchronousCommit = keys.TryGetValue(ScenarioKeys.SynchronousCommit, out var commitNode)
            ? Text(commitNode, Child(path, ScenarioKeys.SynchronousCommit), "on, remote_apply, remote_write, local or off") ?? "on"
            : "on";
        var settings = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (keys.TryGetValue(ScenarioKeys.Settings, out var settingsNode))
        {
            string settingsPath = Child(path, ScenarioKeys.Settings);
            foreach (var (name, value) in Mapping(settingsNode, settingsPath, null, "settings") ?? [])
            {
                if (Text(value, Child(settingsPath, name), $"a value for {name}") is { } text)
                {
                    settings[name] = text;
                }
            }
        }

        string network = keys.TryGetValue(ScenarioKeys.Network, out var networkNode)
            ? Text(networkNode, Child(path, ScenarioKeys.Network), "a network mode name such as proxy") ?? ClusterAxisNames.Proxy
            : ClusterAxisNames.Proxy;
        string manager = ClusterAxisNames.None;
        if (keys.TryGetValue(ScenarioKeys.Manager, out var managerNode))
        {
            // Room for a manager's own settings later (a mapping); until then one is an honest error, not a type error.
            if (managerNode is YamlMappingNode)
            {
                Fail(Child(path, ScenarioKeys.Manager), managerNode.Start, "manager takes a manager name such as none; manager settings are not available yet in this version");
            }
            else
            {
                manager = Text(managerNode, Child(path, ScenarioKeys.Manager), "a manager name such as none") ?? ClusterAxisNames.None;
            }
        }

        return new ScenarioCluster(replicas, replication, quorum, synchronousCommit, settings.ToImmutable()) { Network = network, Manager = manager };
    }

    private ScenarioWorkload Workload(YamlNode? node)
    {
        const string path = ScenarioKeys.Workload;
        if (node is null || Mapping(node, path, ScenarioKeys.WorkloadKeys, "workload") is not { } keys)
        {
            return new ScenarioWorkload(ScenarioWorkload.Kinds[0], 1, 0, null, null);
        }

        string kind = RequiredText(keys, node, path, ScenarioKeys.Kind, $"one of {string.Join(", ", ScenarioWorkload.Kinds)}") ?? ScenarioWorkload.Kinds[0];
        int writers = Int(Required(keys, node, path, ScenarioKeys.Writers, "the number of writing clients"), Child(path, ScenarioKeys.Writers)) ?? 1;
        int readers = keys.TryGetValue(ScenarioKeys.Readers, out var readersNode) ? Int(readersNode, Child(path, ScenarioKeys.Readers)) ?? 0 : 0;
        int? rate = null;
        if (keys.TryGetValue(ScenarioKeys.Rate, out var rateNode)
            && Text(rateNode, Child(path, ScenarioKeys.Rate), $"operations per second or {ScenarioKeys.Unthrottled}") is { } rateText
            && rateText != ScenarioKeys.Unthrottled)
        {
            rate = ParseInt(rateText, rateNode, Child(path, ScenarioKeys.Rate), $"operations per second or {ScenarioKeys.Unthrottled}");
        }

        TimeSpan? clientTimeout = keys.TryGetValue(ScenarioKeys.ClientTimeout, out var timeoutNode)
            ? Duration(timeoutNode, Child(path, ScenarioKeys.ClientTimeout))
            : null;
        return new ScenarioWorkload(kind, writers, readers, rate, clientTimeout);
    }

    private ImmutableArray<ScheduleStep> Schedule(YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Fail(ScenarioKeys.Schedule, node.Start, "schedule must be a list of steps, each with at and a fault or an action");
            return [];
        }

        var steps = ImmutableArray.CreateBuilder<ScheduleStep>();
        foreach (var (item, index) in sequence.Children.Select((n, i) => (n, i)))
        {
            marks[ScenarioKeys.Step(index)] = item.Start;
            if (Step(item, index) is { } step)
            {
                steps.Add(step);
            }
            else
            {
                brokenPaths.Add(ScenarioKeys.Schedule);
            }
        }

        return steps.ToImmutable();
    }

    private ScheduleStep? Step(YamlNode node, int index)
    {
        string path = ScenarioKeys.Step(index);
        if (Mapping(node, path, StepKeys, $"step {index + 1} of the schedule") is not { } keys)
        {
            return null;
        }

        int errorsBefore = errors.Count;
        TimeSpan at = Duration(Required(keys, node, path, ScenarioKeys.At, "the step's offset from the workload start, e.g. 5s"), Child(path, ScenarioKeys.At)) ?? TimeSpan.Zero;
        string? keyword = StepKeyword(keys, node, path);
        if (keyword is null)
        {
            return null;
        }

        ImmutableArray<string> parameters = StepParameters[keyword];
        foreach (var (key, _) in keys.Where(k => k.Key is not ScenarioKeys.At and not ScenarioKeys.Fault and not ScenarioKeys.Action))
        {
            if (!parameters.Contains(key))
            {
                Fail(Child(path, key), marks[Child(path, key)], parameters.IsEmpty
                    ? $"key '{key}' does not apply to {keyword}; it takes only at"
                    : $"key '{key}' does not apply to {keyword}; expected only at, {string.Join(", ", parameters)}");
            }
        }

        TimeSpan? length = keys.TryGetValue(ScenarioKeys.For, out var forNode) && parameters.Contains(ScenarioKeys.For)
            ? Duration(forNode, Child(path, ScenarioKeys.For))
            : null;
        ScheduleStep? step = keyword switch
        {
            "partition" => NetworkTarget(keys, node, path, keyword) is { } t ? new PartitionFault(at, t, length) { Direction = DirectionOf(keys, path) } : null,
            "blackhole" => NetworkTarget(keys, node, path, keyword) is { } t ? new BlackholeFault(at, t, length) : null,
            "isolate" => NodeTarget(keys, node, path, keyword) is { } n ? new IsolateFault(at, n, length) : null,
            "latency" => Latency(keys, node, path, at, length),
            "bandwidth" => LinkTarget(keys, node, path, keyword) is { } link
                && Int(Required(keys, node, path, ScenarioKeys.Rate, "the bandwidth in KB/s"), Child(path, ScenarioKeys.Rate)) is { } rate
                ? new BandwidthFault(at, link, rate, length)
                : null,
            "reset" => LinkTarget(keys, node, path, keyword) is { } link ? new ResetFault(at, link, length) : null,
            "loss" => Loss(keys, node, path, at, length),
            "kill" => NodeTarget(keys, node, path, keyword) is { } n ? new KillFault(at, n, length) : null,
            "pause" => NodeTarget(keys, node, path, keyword) is { } n ? new PauseFault(at, n, length) : null,
            "restart" => NodeTarget(keys, node, path, keyword) is { } n ? new RestartFault(at, n) : null,
            "terminate-backends" => NodeTarget(keys, node, path, keyword) is { } n ? new TerminateBackendsFault(at, n) : null,
            "promote" => NodeTarget(keys, node, path, keyword) is { } n ? new PromoteAction(at, n) : null,
            "rejoin" => NodeTarget(keys, node, path, keyword) is { } n ? new RejoinAction(at, n) : null,
            "heal" => new HealAction(at),
            _ => Duration(Required(keys, node, path, ScenarioKeys.Deadline, "how long to wait for convergence, e.g. 10s"), Child(path, ScenarioKeys.Deadline)) is { } deadline
                ? new WaitConvergedAction(at, deadline)
                : null,
        };
        return errors.Count == errorsBefore ? step : null;
    }

    private string? StepKeyword(Dictionary<string, YamlNode> keys, YamlNode node, string path)
    {
        bool hasFault = keys.TryGetValue(ScenarioKeys.Fault, out var faultNode);
        bool hasAction = keys.TryGetValue(ScenarioKeys.Action, out var actionNode);
        if (hasFault && hasAction)
        {
            Fail(Child(path, ScenarioKeys.Action), actionNode!.Start, "a step has a fault or an action, not both");
            return null;
        }

        if (hasFault)
        {
            string faultPath = Child(path, ScenarioKeys.Fault);
            if (Text(faultNode!, faultPath, "a fault") is { } fault && Actions.Contains(fault))
            {
                Fail(faultPath, faultNode!.Start, $"{fault} is an action, not a fault; write action: {fault}");
                return null;
            }

            return OneOf(faultNode!, faultPath, "fault", Faults);
        }

        if (hasAction)
        {
            string actionPath = Child(path, ScenarioKeys.Action);
            if (Text(actionNode!, actionPath, "an action") is { } action && Faults.Contains(action))
            {
                Fail(actionPath, actionNode!.Start, $"{action} is a fault, not an action; write fault: {action}");
                return null;
            }

            return OneOf(actionNode!, actionPath, "action", Actions);
        }

        Fail(path, node.Start, $"the step has neither fault nor action; expected fault: one of {string.Join(", ", Faults)}, or action: one of {string.Join(", ", Actions)}");
        return null;
    }

    private LatencyFault? Latency(Dictionary<string, YamlNode> keys, YamlNode node, string path, TimeSpan at, TimeSpan? length)
    {
        Link? link = LinkTarget(keys, node, path, "latency");
        TimeSpan? latency = Duration(Required(keys, node, path, ScenarioKeys.Latency, "the added delay, e.g. 200ms"), Child(path, ScenarioKeys.Latency));
        TimeSpan? jitter = keys.TryGetValue(ScenarioKeys.Jitter, out var jitterNode) ? Duration(jitterNode, Child(path, ScenarioKeys.Jitter)) : TimeSpan.Zero;
        LatencyDirection direction = DirectionOf(keys, path);
        return link is null || latency is null || jitter is null
            ? null
            : new LatencyFault(at, link, latency.Value, jitter.Value, direction, length);
    }

    private LatencyDirection DirectionOf(Dictionary<string, YamlNode> keys, string path) =>
        (keys.TryGetValue(ScenarioKeys.Direction, out var directionNode)
            ? OneOf(directionNode, Child(path, ScenarioKeys.Direction), "direction", Directions)
            : "both") switch
        {
            "upstream" => LatencyDirection.Upstream,
            "downstream" => LatencyDirection.Downstream,
            _ => LatencyDirection.Both,
        };

    private LossFault? Loss(Dictionary<string, YamlNode> keys, YamlNode node, string path, TimeSpan at, TimeSpan? length)
    {
        Link? link = LinkTarget(keys, node, path, "loss");
        LatencyDirection direction = DirectionOf(keys, path);
        YamlNode? probabilityNode = Required(keys, node, path, ScenarioKeys.Probability, "the share of packets dropped, above 0 and below 1, e.g. 0.2");
        double? probability = null;
        if (probabilityNode is YamlScalarNode { Value: { } text })
        {
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0 && p < 1)
            {
                probability = p;
            }
            else
            {
                Fail(Child(path, ScenarioKeys.Probability), probabilityNode.Start, $"probability '{text}' must be a number above 0 and below 1, e.g. 0.2");
            }
        }
        else if (probabilityNode is not null)
        {
            Fail(Child(path, ScenarioKeys.Probability), probabilityNode.Start, "probability must be a number above 0 and below 1, e.g. 0.2");
        }

        return link is null || probability is null ? null : new LossFault(at, link, probability.Value, direction, length);
    }

    private FaultTarget? NetworkTarget(Dictionary<string, YamlNode> keys, YamlNode node, string path, string keyword)
    {
        string? text = RequiredText(keys, node, path, ScenarioKeys.Target, $"what the {keyword} hits: a link such as replica1->primary, or a node");
        return text is null ? null : ParseTarget(text, keys[ScenarioKeys.Target], Child(path, ScenarioKeys.Target));
    }

    private Link? LinkTarget(Dictionary<string, YamlNode> keys, YamlNode node, string path, string keyword)
    {
        if (NetworkTarget(keys, node, path, keyword) is not { } target)
        {
            return null;
        }

        if (target is LinkTarget { Link: var link })
        {
            return link;
        }

        Fail(Child(path, ScenarioKeys.Target), keys[ScenarioKeys.Target].Start, $"{keyword} needs a link such as replica1->primary or client->primary; got node {target}");
        return null;
    }

    private string? NodeTarget(Dictionary<string, YamlNode> keys, YamlNode node, string path, string keyword)
    {
        string? text = RequiredText(keys, node, path, ScenarioKeys.Target, $"the node to {keyword}, e.g. replica1");
        if (text is not null && text.Contains("->", StringComparison.Ordinal))
        {
            Fail(Child(path, ScenarioKeys.Target), keys[ScenarioKeys.Target].Start, $"{keyword} needs a node such as replica1; got link {text}");
            return null;
        }

        return text;
    }

    private FaultTarget? ParseTarget(string text, YamlNode node, string path)
    {
        if (text.Contains("->", StringComparison.Ordinal) && !Link.TryParse(text, out _))
        {
            Fail(path, node.Start, $"target '{text}' is not a link; expected FROM->TO such as replica1->primary");
            return null;
        }

        return FaultTarget.Parse(text);
    }

    private ScenarioExpectations Expectations(YamlNode node)
    {
        const string path = ScenarioKeys.Expect;
        if (Mapping(node, path, ScenarioKeys.ExpectKeys, "expect") is not { } keys)
        {
            return ScenarioExpectations.Default;
        }

        ScenarioExpectations expect = ScenarioExpectations.Default;
        if (keys.TryGetValue(ScenarioKeys.LostWrites, out var lostNode)
            && OneOf(lostNode, Child(path, ScenarioKeys.LostWrites), "lost-writes policy", LostWritesValues) == "allowed")
        {
            expect = expect with { LostWrites = LostWritesPolicy.Allowed, Durability = ExpectedVerdict.Any };
        }

        foreach (string checker in ScenarioExpectations.CheckerNames)
        {
            if (keys.TryGetValue(checker, out var verdictNode))
            {
                switch (OneOf(verdictNode, Child(path, checker), "verdict", Verdicts))
                {
                    case "valid":
                        expect = expect.With(checker, ExpectedVerdict.Valid);
                        break;
                    case "invalid":
                        expect = expect.With(checker, ExpectedVerdict.Invalid);
                        break;
                    case "any":
                        expect = expect.With(checker, ExpectedVerdict.Any);
                        break;
                }
            }
        }

        return expect;
    }

    private Dictionary<string, YamlNode>? Mapping(YamlNode node, string path, ImmutableArray<string>? allowed, string where)
    {
        if (node is not YamlMappingNode mapping)
        {
            Fail(path, node.Start, allowed is { } keys
                ? $"{where} must be a mapping with the keys {string.Join(", ", keys)}"
                : $"{where} must be a mapping of names to values");
            return null;
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Error(keyNode.Start, $"keys in {where} must be plain names");
                brokenPaths.Add(path);
                continue;
            }

            if (allowed is { } known && !known.Contains(key))
            {
                Error(keyNode.Start, $"unknown key '{key}' in {where}; expected one of: {string.Join(", ", known)}");
                continue;
            }

            marks[Child(path, key)] = value.Start;
            result[key] = value;
        }

        return result;
    }

    private YamlNode? Required(Dictionary<string, YamlNode> keys, YamlNode mapping, string path, string key, string expected)
    {
        if (keys.TryGetValue(key, out var value))
        {
            return value;
        }

        Fail(Child(path, key), mapping.Start, $"missing key '{key}' in {Describe(path)}; expected {expected}");
        return null;
    }

    private string? RequiredText(Dictionary<string, YamlNode> keys, YamlNode mapping, string path, string key, string expected) =>
        Required(keys, mapping, path, key, expected) is { } node ? Text(node, Child(path, key), expected) : null;

    private string? Text(YamlNode node, string path, string expected)
    {
        if (node is not YamlScalarNode scalar)
        {
            Fail(path, node.Start, $"{Leaf(path)} must be a single value; expected {expected}");
            return null;
        }

        // An empty or ~ plain scalar is YAML's null: the key is there but says nothing.
        if (scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~")
        {
            Fail(path, node.Start, $"{Leaf(path)} has no value; expected {expected}");
            return null;
        }

        return scalar.Value ?? string.Empty;
    }

    private int? Int(YamlNode? node, string path) =>
        node is not null && Text(node, path, "a whole number") is { } text ? ParseInt(text, node, path, "a whole number") : null;

    private int? ParseInt(string text, YamlNode node, string path, string expected)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        Fail(path, node.Start, $"{Leaf(path)} '{text}' is not a whole number; expected {expected}");
        return null;
    }

    private TimeSpan? Duration(YamlNode? node, string path)
    {
        if (node is null || Text(node, path, DurationText.Expected) is not { } text)
        {
            return null;
        }

        if (DurationText.TryParse(text, out var value))
        {
            return value;
        }

        Fail(path, node.Start, $"{Leaf(path)} '{text}' is not a duration; expected {DurationText.Expected}");
        return null;
    }

    private string? OneOf(YamlNode node, string path, string what, ImmutableArray<string> values)
    {
        if (Text(node, path, $"one of {string.Join(", ", values)}") is not { } text)
        {
            return null;
        }

        if (values.Contains(text))
        {
            return text;
        }

        Fail(path, node.Start, $"unknown {what} '{text}'; expected one of: {string.Join(", ", values)}");
        return null;
    }

    private static string Describe(string path) =>
        path.Length == 0 ? "the scenario"
        : path.StartsWith(ScenarioKeys.Schedule + "[", StringComparison.Ordinal)
            ? $"step {int.Parse(path.AsSpan(ScenarioKeys.Schedule.Length + 1, path.Length - ScenarioKeys.Schedule.Length - 2), CultureInfo.InvariantCulture) + 1} of the schedule"
            : path;

    private static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Leaf(string path) => path[(path.LastIndexOf('.') + 1)..];

    private bool IsBroken(string path) =>
        brokenPaths.Any(broken => path == broken || path.StartsWith(broken + ".", StringComparison.Ordinal) || path.StartsWith(broken + "[", StringComparison.Ordinal));

    private Mark MarkOf(string path)
    {
        for (string current = path; current.Length > 0; current = current[..Math.Max(0, current.LastIndexOfAny(['.', '[']))])
        {
            if (marks.TryGetValue(current, out var mark))
            {
                return mark;
            }
        }

        return documentStart;
    }

    private void Fail(string path, Mark mark, string message)
    {
        brokenPaths.Add(path);
        Error(mark, message);
    }

    private void Error(Mark mark, string message) =>
        errors.Add(new ScenarioError(file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), message));
}
