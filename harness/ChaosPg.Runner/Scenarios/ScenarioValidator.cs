using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;
using ReplicationMode = ChaosPg.Cluster.ReplicationMode;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// Checks what a scenario means, whether it came from a file or was built in code: ranges, contradictions between
/// keys, and the schedule played through the topology (<see cref="ScheduleSimulator"/>).
/// </summary>
public static partial class ScenarioValidator
{
    /// <summary>The longest scenario the catalog accepts; CI runs every scenario.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    // Settings the harness owns: durability stays on, replication comes from cluster keys, addresses from the backend.
    private static readonly ImmutableDictionary<string, string> ReservedSettings = new Dictionary<string, string>
    {
        ["fsync"] = "durability stays on in every node",
        ["full_page_writes"] = "durability stays on in every node",
        ["synchronous_commit"] = "use cluster.synchronous-commit",
        ["synchronous_standby_names"] = "it is set from cluster.replication and cluster.quorum",
        ["listen_addresses"] = "the harness binds every node to 127.0.0.1",
        ["port"] = "the harness assigns ports",
        ["primary_conninfo"] = "the harness points replicas at their WAL links",
        ["primary_slot_name"] = "the harness gives every replica its slot",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Every issue with <paramref name="scenario"/>; empty when it can run.</summary>
    public static ImmutableArray<ScenarioIssue> Validate(Scenario scenario) => Validate(scenario, simulateSchedule: true);

    internal static ImmutableArray<ScenarioIssue> Validate(Scenario scenario, bool simulateSchedule)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var issues = ImmutableArray.CreateBuilder<ScenarioIssue>();
        void Add(string path, string message) => issues.Add(new ScenarioIssue(path, message));

        // Lengths first: a value over its limit is not echoed back in the message.
        if (scenario.Name.Length > ScenarioLimits.MaxNameLength)
        {
            Add(ScenarioKeys.Name, $"name has {scenario.Name.Length} characters; at most {ScenarioLimits.MaxNameLength}");
        }
        else if (!Identifier().IsMatch(scenario.Name))
        {
            Add(ScenarioKeys.Name, $"name '{scenario.Name}' must be lower-case letters, digits and dashes (e.g. replica-partition-heal)");
        }

        if (string.IsNullOrWhiteSpace(scenario.Description))
        {
            Add(ScenarioKeys.Description, "description is empty; expected a sentence saying what the scenario proves");
        }
        else if (scenario.Description.Length > ScenarioLimits.MaxDescriptionLength)
        {
            Add(ScenarioKeys.Description, $"description has {scenario.Description.Length} characters; at most {ScenarioLimits.MaxDescriptionLength} (say what the scenario proves; details belong in scenarios/README.md)");
        }

        if (scenario.Tags.Length > ScenarioLimits.MaxTags)
        {
            Add(ScenarioKeys.Tags, $"{scenario.Tags.Length} tags; at most {ScenarioLimits.MaxTags}");
        }

        if (scenario.Schedule.Length > ScenarioLimits.MaxSteps)
        {
            Add(ScenarioKeys.Schedule, $"the schedule has {scenario.Schedule.Length} steps; at most {ScenarioLimits.MaxSteps}");
        }

        foreach (var (tag, index) in scenario.Tags.Select((t, i) => (t, i)))
        {
            if (tag.Length > ScenarioLimits.MaxTagLength)
            {
                Add($"{ScenarioKeys.Tags}[{index}]", $"tag has {tag.Length} characters; at most {ScenarioLimits.MaxTagLength}");
            }
            else if (!Identifier().IsMatch(tag))
            {
                Add($"{ScenarioKeys.Tags}[{index}]", $"tag '{tag}' must be lower-case letters, digits and dashes");
            }
            else if (scenario.Tags.IndexOf(tag) != index)
            {
                Add($"{ScenarioKeys.Tags}[{index}]", $"tag '{tag}' appears twice");
            }
        }

        bool replicasValid = ValidateCluster(scenario.Cluster, Add);
        ValidateNetworkFaults(scenario, Add);
        ValidateWorkload(scenario.Workload, Add);

        bool durationValid = scenario.Duration > TimeSpan.Zero
            && scenario.Duration <= MaxDuration
            && DurationText.IsWholeMilliseconds(scenario.Duration);
        if (!durationValid)
        {
            Add(ScenarioKeys.Duration, $"duration {DurationText.Show(scenario.Duration)} must be whole milliseconds between 1ms and {DurationText.Format(MaxDuration)}");
        }

        if (simulateSchedule && replicasValid && durationValid)
        {
            foreach (ScheduleIssue issue in scenario.Plan().Issues)
            {
                Add(ScenarioKeys.Step(issue.StepIndex, issue.Field), issue.Message);
            }
        }

        ValidateExpectations(scenario.Expect, Add);
        return issues.ToImmutable();
    }

    private static bool ValidateCluster(ScenarioCluster cluster, Action<string, string> add)
    {
        string Path(string key) => $"{ScenarioKeys.Cluster}.{key}";
        bool replicasValid = cluster.Replicas is >= NodeNames.MinReplicas and <= NodeNames.MaxReplicas;
        if (!replicasValid)
        {
            add(Path(ScenarioKeys.Replicas), $"replicas {cluster.Replicas} is out of range; expected {NodeNames.MinReplicas} to {NodeNames.MaxReplicas}");
        }

        switch (cluster.Replication, cluster.Quorum)
        {
            case (ReplicationMode.Async, not null):
                add(Path(ScenarioKeys.Quorum), "quorum applies to sync and quorum replication, not async");
                break;
            case (ReplicationMode.Quorum, null):
                add(Path(ScenarioKeys.Replication), "quorum replication needs cluster.quorum: how many replicas (ANY k) must confirm a commit");
                break;
            case (not ReplicationMode.Async, { } k) when k < 1 || (replicasValid && k > cluster.Replicas):
                add(Path(ScenarioKeys.Quorum), $"quorum {k} is out of range; expected 1 to replicas ({cluster.Replicas})");
                break;
        }

        if (cluster.Replication == ReplicationMode.Async && cluster.SyncAfterPromotion is not null)
        {
            add(Path(ScenarioKeys.SyncAfterPromotion), "sync-after-promotion applies to sync and quorum replication, not async");
        }

        if (!ScenarioCluster.SynchronousCommitValues.Contains(cluster.SynchronousCommit))
        {
            add(Path(ScenarioKeys.SynchronousCommit), $"synchronous-commit '{cluster.SynchronousCommit}' is unknown; expected one of: {string.Join(", ", ScenarioCluster.SynchronousCommitValues)}");
        }

        // Names come from the provider's registry, so a manager or network mode that lands is accepted without a change here.
        foreach (var (axis, key, name) in new[] { (ClusterAxis.Network, ScenarioKeys.Network, cluster.Network), (ClusterAxis.Manager, ScenarioKeys.Manager, cluster.Manager) })
        {
            if (ClusterProviderRegistry.Default.Problem(axis, name) is { } problem)
            {
                add(Path(key), problem);
            }
        }

        // The manager's settings are checked by the manager's own rules, before anything starts.
        if (cluster.Patroni is { } patroni)
        {
            if (cluster.Manager != ClusterAxisNames.Patroni)
            {
                add(Path(ScenarioKeys.Manager), $"Patroni settings need name: {ClusterAxisNames.Patroni}, not {cluster.Manager}");
            }

            try
            {
                patroni.Validate();
            }
            catch (Cluster.ClusterConfigurationException e)
            {
                add(Path(ScenarioKeys.Manager), e.Message.TrimEnd('.') + " (cluster.manager: ttl, loop-wait, retry-timeout, synchronous-mode, etcd-members)");
            }
        }

        if (cluster.Settings.Count > ScenarioLimits.MaxSettings)
        {
            add(Path(ScenarioKeys.Settings), $"{cluster.Settings.Count} settings; at most {ScenarioLimits.MaxSettings}");
        }

        foreach (var (name, value) in cluster.Settings)
        {
            string path = $"{Path(ScenarioKeys.Settings)}.{name}";
            if (name.Length > ScenarioLimits.MaxSettingLength || value.Length > ScenarioLimits.MaxSettingLength)
            {
                add(path, $"setting name or value has more than {ScenarioLimits.MaxSettingLength} characters");
            }
            else if (!SettingName().IsMatch(name))
            {
                add(path, $"setting '{name}' is not a PostgreSQL setting name; expected lower-case letters, digits, _ and .");
            }
            else if (ReservedSettings.TryGetValue(name, out string? why))
            {
                add(path, $"setting '{name}' cannot be set by a scenario: {why}");
            }
        }

        return replicasValid;
    }

    // What each network mode can do: Toxiproxy relays TCP (no packet loss, no one-way cut); the kernel mode has no
    // latency where the kernel lacks netem (probed once, only when a kernel scenario asks for latency).
    private static void ValidateNetworkFaults(Scenario scenario, Action<string, string> add)
    {
        bool kernel = scenario.Cluster.Network == ClusterAxisNames.Kernel;
        bool proxy = scenario.Cluster.Network == ClusterAxisNames.Proxy;
        foreach (var (step, index) in scenario.Schedule.Select((s, i) => (s, i)))
        {
            switch (step)
            {
                case LossFault when proxy:
                    add(ScenarioKeys.Step(index, ScenarioKeys.Fault), "loss needs cluster.network: kernel; Toxiproxy relays TCP and never sees a packet to drop");
                    break;
                case PartitionFault { Direction: not LatencyDirection.Both } when proxy:
                    add(ScenarioKeys.Step(index, ScenarioKeys.Direction), "a one-way partition needs cluster.network: kernel; Toxiproxy can only cut both directions of a relayed connection");
                    break;
                case LatencyFault when kernel && !Cluster.Networks.Kernel.KernelProbe.NetemAvailable:
                    add(ScenarioKeys.Step(index, ScenarioKeys.Fault), "latency in cluster.network: kernel needs tc netem, which this kernel lacks (no sch_netem); use network: proxy for latency");
                    break;
            }
        }
    }

    private static void ValidateWorkload(ScenarioWorkload workload, Action<string, string> add)
    {
        string Path(string key) => $"{ScenarioKeys.Workload}.{key}";
        if (!ScenarioWorkload.Kinds.Contains(workload.Kind))
        {
            add(Path(ScenarioKeys.Kind), $"workload kind '{workload.Kind}' is unknown; expected one of: {string.Join(", ", ScenarioWorkload.Kinds)}");
        }

        if (workload.Kind != ScenarioWorkload.ListAppend && (workload.Isolation is not null || workload.ConsistencyModel is not null))
        {
            add(Path(workload.Isolation is not null ? ScenarioKeys.Isolation : ScenarioKeys.ConsistencyModel), $"only a {ScenarioWorkload.ListAppend} workload takes {ScenarioKeys.Isolation} and {ScenarioKeys.ConsistencyModel}; remove it or set kind: {ScenarioWorkload.ListAppend}");
        }

        if (workload.Isolation is { } isolation && !ScenarioWorkload.IsolationLevels.Contains(isolation))
        {
            add(Path(ScenarioKeys.Isolation), $"isolation '{isolation}' is unknown; expected one of: {string.Join(", ", ScenarioWorkload.IsolationLevels)}");
        }

        if (workload.ConsistencyModel is { } model && !Core.Checkers.Transactions.ConsistencyModels.Names.Contains(model))
        {
            add(Path(ScenarioKeys.ConsistencyModel), $"consistency model '{model}' is unknown; expected one of: {string.Join(", ", Core.Checkers.Transactions.ConsistencyModels.Names)}");
        }

        if (workload.Writers is < 1 or > ScenarioWorkload.MaxClients)
        {
            add(Path(ScenarioKeys.Writers), $"writers {workload.Writers} is out of range; expected 1 to {ScenarioWorkload.MaxClients}");
        }

        if (workload.Readers is < 0 or > ScenarioWorkload.MaxClients)
        {
            add(Path(ScenarioKeys.Readers), $"readers {workload.Readers} is out of range; expected 0 to {ScenarioWorkload.MaxClients}");
        }

        if (workload.Rate is < 1)
        {
            add(Path(ScenarioKeys.Rate), $"rate {workload.Rate} must be a positive number of operations per second, or {ScenarioKeys.Unthrottled}");
        }

        if (workload.ClientTimeout is { } timeout && (timeout <= TimeSpan.Zero || !DurationText.IsWholeMilliseconds(timeout)))
        {
            add(Path(ScenarioKeys.ClientTimeout), $"client-timeout {DurationText.Show(timeout)} must be a positive whole number of milliseconds");
        }
    }

    private static void ValidateExpectations(ScenarioExpectations expect, Action<string, string> add)
    {
        string path = $"{ScenarioKeys.Expect}.durability";
        if (expect.LostWrites == LostWritesPolicy.Allowed && expect.Durability == ExpectedVerdict.Valid)
        {
            add(path, "durability: valid contradicts lost-writes: allowed; expected durability invalid or any");
        }
        else if (expect.LostWrites == LostWritesPolicy.Forbidden && expect.Durability == ExpectedVerdict.Invalid)
        {
            add(path, "durability: invalid expects lost writes, which lost-writes: forbidden rules out; expected lost-writes: allowed");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[a-z_][a-z0-9_.]*$")]
    private static partial Regex SettingName();
}
