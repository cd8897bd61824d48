using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using ReplicationMode = ChaosPg.Cluster.ReplicationMode;
using SyncAfterPromotion = ChaosPg.Cluster.SyncAfterPromotion;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// Reads a scenario file strictly: unknown keys, wrong types, bad durations and everything
/// <see cref="ScenarioValidator"/> finds are all reported at once, each with the line and column it comes from.
/// </summary>
public sealed partial class ScenarioParser : StrictYamlParser
{
    private static readonly ImmutableArray<string> StepKeys =
    [
        ScenarioKeys.At, ScenarioKeys.Fault, ScenarioKeys.Action, ScenarioKeys.Target, ScenarioKeys.For,
        ScenarioKeys.Latency, ScenarioKeys.Jitter, ScenarioKeys.Direction, ScenarioKeys.Rate, ScenarioKeys.Deadline,
        ScenarioKeys.Probability, ScenarioKeys.Process, ScenarioKeys.Candidate, ScenarioKeys.State,
    ];

    private static readonly ImmutableArray<string> Faults =
        ["partition", "blackhole", "isolate", "latency", "bandwidth", "reset", "loss", "kill", "pause", "restart", "terminate-backends"];

    private static readonly ImmutableArray<string> Actions = ["promote", "rejoin", "heal", "wait-converged", "switchover", "failover", "maintenance"];

    private static readonly ImmutableArray<string> Processes = ["server", "manager", "all"];

    private static readonly ImmutableArray<string> MaintenanceStates = ["on", "off"];

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
            ["kill"] = [ScenarioKeys.Target, ScenarioKeys.Process, ScenarioKeys.For],
            ["pause"] = [ScenarioKeys.Target, ScenarioKeys.Process, ScenarioKeys.For],
            ["restart"] = [ScenarioKeys.Target],
            ["terminate-backends"] = [ScenarioKeys.Target],
            ["promote"] = [ScenarioKeys.Target],
            ["rejoin"] = [ScenarioKeys.Target],
            ["heal"] = [],
            ["wait-converged"] = [ScenarioKeys.Deadline],
            ["switchover"] = [ScenarioKeys.Candidate],
            ["failover"] = [ScenarioKeys.Candidate],
            ["maintenance"] = [ScenarioKeys.State],
        }.ToImmutableDictionary(StringComparer.Ordinal);

    private ScenarioParser(string file)
        : base(file)
    {
    }

    /// <summary>Parses and validates scenario text; <paramref name="file"/> names it in errors.</summary>
    /// <param name="text">The scenario's YAML.</param>
    /// <param name="file">The file it came from, for errors.</param>
    /// <param name="manager">
    /// The manager to judge it under in place of its own <c>cluster.manager</c> (<c>run --manager</c>), or null for its
    /// own. Errors that only this manager causes (a harness promote where the manager promotes) point at their step
    /// and start "with --manager NAME:".
    /// </param>
    public static ScenarioParseResult Parse(string text, string file, string? manager = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var parser = new ScenarioParser(file);
        Scenario? scenario = parser.ParseDocument(text, manager);
        ImmutableArray<ScenarioError> errors = parser.SortedErrors();
        return new ScenarioParseResult(errors.IsEmpty ? scenario : null, errors);
    }

    /// <summary>Reads and validates a scenario file; throws <see cref="ScenarioValidationException"/> with every error.</summary>
    public static async Task<Scenario> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        string text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path).GetScenarioOrThrow();
    }

    private Scenario? ParseDocument(string text, string? manager)
    {
        if (LoadRoot(text, $"a mapping with the keys {string.Join(", ", ScenarioKeys.TopLevel)}") is not { } root)
        {
            return null;
        }

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
        string prefix = string.Empty;
        if (manager is not null)
        {
            scenario = scenario with { Cluster = cluster with { Manager = manager } };
            prefix = $"with --manager {manager}: ";
        }

        bool canSimulate = !IsBroken(ScenarioKeys.Schedule)
            && !IsBroken($"{ScenarioKeys.Cluster}.{ScenarioKeys.Replicas}")
            && !IsBroken(ScenarioKeys.Duration);
        foreach (ScenarioIssue issue in ScenarioValidator.Validate(scenario, canSimulate))
        {
            if (!IsBroken(issue.Path))
            {
                Error(MarkOf(issue.Path), prefix + issue.Message);
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
            Marks[path] = item.Start;
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

        int replicas = WholeNumber(Required(keys, node, path, ScenarioKeys.Replicas, $"the number of replicas, {NodeNames.MinReplicas} to {NodeNames.MaxReplicas}"), Child(path, ScenarioKeys.Replicas)) ?? 0;
        var replication = keys.TryGetValue(ScenarioKeys.Replication, out var replicationNode)
            ? OneOf(replicationNode, Child(path, ScenarioKeys.Replication), "replication", ReplicationValues) switch
            {
                "sync" => ReplicationMode.Sync,
                "quorum" => ReplicationMode.Quorum,
                _ => ReplicationMode.Async,
            }
            : ReplicationMode.Async;
        int? quorum = keys.TryGetValue(ScenarioKeys.Quorum, out var quorumNode) ? WholeNumber(quorumNode, Child(path, ScenarioKeys.Quorum)) : null;
        string synchronousCommit = keys.TryGetValue(ScenarioKeys.SynchronousCommit, out var commitNode)
            ? Text(commitNode, Child(path, ScenarioKeys.SynchronousCommit), "on, remote_apply, remote_write, local or off") ?? "on"
            : "on";
        SyncAfterPromotion? afterPromotion = keys.TryGetValue(ScenarioKeys.SyncAfterPromotion, out var afterNode)
            ? OneOf(afterNode, Child(path, ScenarioKeys.SyncAfterPromotion), "sync-after-promotion", ScenarioCluster.SyncAfterPromotionValues) switch
            {
                "none" => SyncAfterPromotion.None,
                "surviving" => SyncAfterPromotion.Surviving,
                _ => null,
            }
            : null;
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
        var cluster = new ScenarioCluster(replicas, replication, quorum, synchronousCommit, settings.ToImmutable(), afterPromotion) { Network = network };
        return keys.TryGetValue(ScenarioKeys.Manager, out var managerNode) ? Manager(cluster, managerNode, Child(path, ScenarioKeys.Manager)) : cluster;
    }

    private ScenarioWorkload Workload(YamlNode? node)
    {
        const string path = ScenarioKeys.Workload;
        if (node is null || Mapping(node, path, ScenarioKeys.WorkloadKeys, "workload") is not { } keys)
        {
            return new ScenarioWorkload(ScenarioWorkload.Kinds[0], 1, 0, null, null);
        }

        string kind = RequiredText(keys, node, path, ScenarioKeys.Kind, $"one of {string.Join(", ", ScenarioWorkload.Kinds)}") ?? ScenarioWorkload.Kinds[0];
        int writers = WholeNumber(Required(keys, node, path, ScenarioKeys.Writers, "the number of writing clients"), Child(path, ScenarioKeys.Writers)) ?? 1;
        int readers = keys.TryGetValue(ScenarioKeys.Readers, out var readersNode) ? WholeNumber(readersNode, Child(path, ScenarioKeys.Readers)) ?? 0 : 0;
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
        string? isolation = keys.TryGetValue(ScenarioKeys.Isolation, out var isolationNode)
            ? Text(isolationNode, Child(path, ScenarioKeys.Isolation), $"one of {string.Join(", ", ScenarioWorkload.IsolationLevels)}")
            : null;
        string? model = keys.TryGetValue(ScenarioKeys.ConsistencyModel, out var modelNode)
            ? Text(modelNode, Child(path, ScenarioKeys.ConsistencyModel), $"one of {string.Join(", ", Core.Checkers.Transactions.ConsistencyModels.Names)}")
            : null;
        return new ScenarioWorkload(kind, writers, readers, rate, clientTimeout, isolation, model);
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
            Marks[ScenarioKeys.Step(index)] = item.Start;
            if (Step(item, index) is { } step)
            {
                steps.Add(step);
            }
            else
            {
                BrokenPaths.Add(ScenarioKeys.Schedule);
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

        int errorsBefore = Errors.Count;
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
                Fail(Child(path, key), Marks[Child(path, key)], parameters.IsEmpty
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
                && WholeNumber(Required(keys, node, path, ScenarioKeys.Rate, "the bandwidth in KB/s"), Child(path, ScenarioKeys.Rate)) is { } rate
                ? new BandwidthFault(at, link, rate, length)
                : null,
            "reset" => LinkTarget(keys, node, path, keyword) is { } link ? new ResetFault(at, link, length) : null,
            "loss" => Loss(keys, node, path, at, length),
            "kill" => NodeTarget(keys, node, path, keyword) is { } n ? new KillFault(at, n, length) { Process = ProcessOf(keys, path) } : null,
            "pause" => NodeTarget(keys, node, path, keyword) is { } n ? new PauseFault(at, n, length) { Process = ProcessOf(keys, path) } : null,
            "restart" => NodeTarget(keys, node, path, keyword) is { } n ? new RestartFault(at, n) : null,
            "terminate-backends" => NodeTarget(keys, node, path, keyword) is { } n ? new TerminateBackendsFault(at, n) : null,
            "promote" => NodeTarget(keys, node, path, keyword) is { } n ? new PromoteAction(at, n) : null,
            "rejoin" => NodeTarget(keys, node, path, keyword) is { } n ? new RejoinAction(at, n) : null,
            "heal" => new HealAction(at),
            "switchover" => new SwitchoverAction(at, keys.TryGetValue(ScenarioKeys.Candidate, out var candidateNode) ? Text(candidateNode, Child(path, ScenarioKeys.Candidate), "the node to hand the leader role to, e.g. replica1") : null),
            "failover" => RequiredText(keys, node, path, ScenarioKeys.Candidate, "the node to fail over to, e.g. replica1") is { } candidate ? new FailoverAction(at, candidate) : null,
            "maintenance" => Required(keys, node, path, ScenarioKeys.State, "on or off") is { } stateNode && OneOf(stateNode, Child(path, ScenarioKeys.State), "maintenance state", MaintenanceStates) is { } state
                ? new MaintenanceAction(at, state == "on")
                : null,
            _ => Duration(Required(keys, node, path, ScenarioKeys.Deadline, "how long to wait for convergence, e.g. 10s"), Child(path, ScenarioKeys.Deadline)) is { } deadline
                ? new WaitConvergedAction(at, deadline)
                : null,
        };
        return Errors.Count == errorsBefore ? step : null;
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

    private NodeProcess? ProcessOf(Dictionary<string, YamlNode> keys, string path) =>
        keys.TryGetValue(ScenarioKeys.Process, out var processNode)
            ? OneOf(processNode, Child(path, ScenarioKeys.Process), "process", Processes) switch
            {
                "manager" => NodeProcess.Manager,
                "all" => NodeProcess.All,
                _ => NodeProcess.Server,
            }
            : null;

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

        if (keys.TryGetValue(ScenarioKeys.Rto, out var rtoNode))
        {
            expect = expect with { RtoBound = RtoBound(rtoNode, Child(path, ScenarioKeys.Rto)) };
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

    // "under 30s": the RTO the clients saw must stay below the duration.
    private TimeSpan? RtoBound(YamlNode node, string path)
    {
        const string expected = $"{ScenarioExpectations.RtoBoundWord} <duration>, e.g. {ScenarioExpectations.RtoBoundWord} 30s";
        if (Text(node, path, expected) is not { } text)
        {
            return null;
        }

        var words = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && words[0] == ScenarioExpectations.RtoBoundWord && DurationText.TryParse(words[1], out var bound) && bound > TimeSpan.Zero)
        {
            return bound;
        }

        Fail(path, node.Start, $"rto '{text}' is not a bound; expected {expected} ({DurationText.Expected}, more than zero)");
        return null;
    }

    protected override string Describe(string path) =>
        path.Length == 0 ? "the scenario"
        : path.StartsWith(ScenarioKeys.Schedule + "[", StringComparison.Ordinal)
            ? $"step {int.Parse(path.AsSpan(ScenarioKeys.Schedule.Length + 1, path.Length - ScenarioKeys.Schedule.Length - 2), CultureInfo.InvariantCulture) + 1} of the schedule"
            : path;
}
