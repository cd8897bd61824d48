using System.Globalization;
using ChaosPg.Core.Schedule;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

using ChaosPg.Cluster.Providers;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// Writes a scenario as a scenario file that <see cref="ScenarioParser"/> reads back to an equal scenario, so that
/// generated schedules (the explorer's) can be saved as reproducers. Every key is written, defaults included, except
/// empty settings.
/// </summary>
public static class ScenarioWriter
{
    /// <summary>The scenario as YAML text.</summary>
    public static string Write(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var root = new YamlMappingNode
        {
            { ScenarioKeys.Name, Scalar(scenario.Name) },
            { ScenarioKeys.Description, Scalar(scenario.Description) },
            { ScenarioKeys.Tags, Flow(new YamlSequenceNode(scenario.Tags.Select(Scalar))) },
            { ScenarioKeys.Cluster, Cluster(scenario.Cluster) },
            { ScenarioKeys.Workload, Workload(scenario.Workload) },
            { ScenarioKeys.Duration, DurationText.Format(scenario.Duration) },
            { ScenarioKeys.Schedule, new YamlSequenceNode(scenario.Schedule.Select(Step)) },
            { ScenarioKeys.Expect, Expectations(scenario.Expect) },
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);

        // The emitter closes the document with "..."; a scenario file is one document and reads better without it.
        string text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlMappingNode Cluster(ScenarioCluster cluster)
    {
        var node = new YamlMappingNode
        {
            { ScenarioKeys.Replicas, Number(cluster.Replicas) },
            { ScenarioKeys.Replication, cluster.Replication.ToString().ToLowerInvariant() },
        };
        if (cluster.Quorum is { } quorum)
        {
            node.Add(ScenarioKeys.Quorum, Number(quorum));
        }

        node.Add(ScenarioKeys.SynchronousCommit, Scalar(cluster.SynchronousCommit));
        if (cluster.SyncAfterPromotion is { } afterPromotion)
        {
            node.Add(ScenarioKeys.SyncAfterPromotion, afterPromotion.ToString().ToLowerInvariant());
        }

        if (!cluster.Settings.IsEmpty)
        {
            node.Add(ScenarioKeys.Settings, new YamlMappingNode(cluster.Settings.Select(s =>
                new KeyValuePair<YamlNode, YamlNode>(Scalar(s.Key), Scalar(s.Value)))));
        }

        node.Add(ScenarioKeys.Network, Scalar(cluster.Network));
        node.Add(ScenarioKeys.Manager, Manager(cluster));
        return node;
    }

    // A manager's name, or the mapping of its name and settings when the scenario gives any for that manager (a
    // scenario run under another manager by --manager keeps its own manager's settings, which do not apply).
    private static YamlNode Manager(ScenarioCluster cluster)
    {
        if (cluster.Manager == ClusterAxisNames.Repmgr && cluster.Repmgr.Witness)
        {
            return new YamlMappingNode { { ScenarioKeys.Name, Scalar(cluster.Manager) }, { ScenarioKeys.Witness, "true" } };
        }

        if (cluster.Manager != ClusterAxisNames.Patroni || cluster.Patroni is not { } patroni)
        {
            return Scalar(cluster.Manager);
        }

        return new YamlMappingNode
        {
            { ScenarioKeys.Name, Scalar(cluster.Manager) },
            { ScenarioKeys.Ttl, DurationText.Format(patroni.Ttl) },
            { ScenarioKeys.LoopWait, DurationText.Format(patroni.LoopWait) },
            { ScenarioKeys.RetryTimeout, DurationText.Format(patroni.RetryTimeout) },
            { ScenarioKeys.MaximumLagOnFailover, patroni.MaximumLagOnFailover.ToString(CultureInfo.InvariantCulture) },
            { ScenarioKeys.SynchronousMode, patroni.SynchronousModeStrict ? "strict" : patroni.SynchronousMode ? "on" : "off" },
            { ScenarioKeys.EtcdMembers, Number(patroni.EtcdMembers) },
        };
    }

    private static YamlMappingNode Workload(ScenarioWorkload workload)
    {
        var node = new YamlMappingNode
        {
            { ScenarioKeys.Kind, Scalar(workload.Kind) },
            { ScenarioKeys.Writers, Number(workload.Writers) },
            { ScenarioKeys.Readers, Number(workload.Readers) },
            { ScenarioKeys.Rate, workload.Rate is { } rate ? Number(rate) : ScenarioKeys.Unthrottled },
        };
        if (workload.ClientTimeout is { } timeout)
        {
            node.Add(ScenarioKeys.ClientTimeout, DurationText.Format(timeout));
        }

        if (workload.Isolation is { } isolation)
        {
            node.Add(ScenarioKeys.Isolation, isolation);
        }

        if (workload.ConsistencyModel is { } model)
        {
            node.Add(ScenarioKeys.ConsistencyModel, model);
        }

        return node;
    }

    private static YamlMappingNode Step(ScheduleStep step)
    {
        var node = new YamlMappingNode
        {
            { ScenarioKeys.At, DurationText.Format(step.At) },
            { step is FaultStep ? ScenarioKeys.Fault : ScenarioKeys.Action, step.Keyword },
        };
        switch (step)
        {
            case FaultStep fault:
                node.Add(ScenarioKeys.Target, Scalar(fault.Target.ToString()!));
                break;
            case PromoteAction promote:
                node.Add(ScenarioKeys.Target, Scalar(promote.Node));
                break;
            case RejoinAction rejoin:
                node.Add(ScenarioKeys.Target, Scalar(rejoin.Node));
                break;
            case WaitConvergedAction wait:
                node.Add(ScenarioKeys.Deadline, DurationText.Format(wait.Deadline));
                break;
            case SwitchoverAction { Candidate: { } candidate }:
                node.Add(ScenarioKeys.Candidate, Scalar(candidate));
                break;
            case FailoverAction failover:
                node.Add(ScenarioKeys.Candidate, Scalar(failover.Candidate));
                break;
            case MaintenanceAction maintenance:
                node.Add(ScenarioKeys.State, maintenance.On ? "on" : "off");
                break;
        }

        switch (step)
        {
            case LatencyFault latency:
                node.Add(ScenarioKeys.Latency, DurationText.Format(latency.Latency));
                node.Add(ScenarioKeys.Jitter, DurationText.Format(latency.Jitter));
                node.Add(ScenarioKeys.Direction, latency.Direction.ToString().ToLowerInvariant());
                break;
            case BandwidthFault bandwidth:
                node.Add(ScenarioKeys.Rate, Number(bandwidth.RateKilobytesPerSecond));
                break;
            case LossFault loss:
                node.Add(ScenarioKeys.Probability, loss.Probability.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                node.Add(ScenarioKeys.Direction, loss.Direction.ToString().ToLowerInvariant());
                break;
            case PartitionFault { Direction: not LatencyDirection.Both } partition:
                node.Add(ScenarioKeys.Direction, partition.Direction.ToString().ToLowerInvariant());
                break;
            case KillFault { Process: { } process }:
                node.Add(ScenarioKeys.Process, process.ToString().ToLowerInvariant());
                break;
            case PauseFault { Process: { } process }:
                node.Add(ScenarioKeys.Process, process.ToString().ToLowerInvariant());
                break;
        }

        if (step is FaultStep { For: { } length })
        {
            node.Add(ScenarioKeys.For, DurationText.Format(length));
        }

        return node;
    }

    private static YamlMappingNode Expectations(ScenarioExpectations expect)
    {
        var node = new YamlMappingNode();
        foreach (string checker in ScenarioExpectations.CheckerNames)
        {
            node.Add(checker, expect.For(checker).ToString().ToLowerInvariant());
        }

        node.Add(ScenarioKeys.LostWrites, expect.LostWrites.ToString().ToLowerInvariant());
        if (expect.RtoBoundText is { } rto)
        {
            node.Add(ScenarioKeys.Rto, rto);
        }

        return node;
    }

    private static YamlScalarNode Number(int value) => new(value.ToString(CultureInfo.InvariantCulture));

    // Text that YAML would read as null (empty, ~) must be quoted to come back as the same string.
    private static YamlScalarNode Scalar(string text) =>
        new(text) { Style = text is "" or "~" ? ScalarStyle.SingleQuoted : ScalarStyle.Any };

    private static YamlSequenceNode Flow(YamlSequenceNode sequence)
    {
        sequence.Style = SequenceStyle.Flow;
        return sequence;
    }
}
