using System.Collections.Immutable;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scenarios;

/// <summary>A scenario: cluster, workload, fault schedule and expected verdicts, as read from a file under scenarios/.</summary>
public sealed record Scenario(
    string Name,
    string Description,
    ImmutableArray<string> Tags,
    ScenarioCluster Cluster,
    ScenarioWorkload Workload,
    TimeSpan Duration,
    ImmutableArray<ScheduleStep> Schedule,
    ScenarioExpectations Expect)
{
    /// <summary>The tag that puts a scenario in the release sign-off set.</summary>
    public const string ReleaseTag = "release";

    public bool Equals(Scenario? other) =>
        other is not null
        && Name == other.Name
        && Description == other.Description
        && Tags.SequenceEqual(other.Tags)
        && Cluster == other.Cluster
        && Workload == other.Workload
        && Duration == other.Duration
        && Schedule.SequenceEqual(other.Schedule)
        && Expect == other.Expect;

    public override int GetHashCode() => HashCode.Combine(Name, Duration, Schedule.Length);

    /// <summary>Plays the schedule through the cluster's topology; the executor follows the plan's entries.</summary>
    public SchedulePlan Plan() => ScheduleSimulator.Simulate(Schedule, Cluster.Replicas, Duration, Cluster.ManagerLinks);
}
