using ChaosPg.Cluster.Providers;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Runs;

/// <summary>What ran, where and how to redo it: <c>run.json</c> of a run folder.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Description">The scenario's one-paragraph description.</param>
/// <param name="ScenarioFile">The scenario file the run was started from (the copy as run is scenario.yaml).</param>
/// <param name="Seed">The seed of the workload and the schedule.</param>
/// <param name="Backend">The backend that ran the nodes: "local" (processes) or "docker" (containers).</param>
/// <param name="PostgresVersion">The server version as the primary reported it (e.g. "15.14").</param>
/// <param name="ProxyKind">Which Toxiproxy carried the links; null when none did (the kernel network mode, or a target without a proxy).</param>
/// <param name="ProxyVersion">The proxy's reported version, when it has one.</param>
/// <param name="GitCommit">The commit of the harness that ran, or null when not run from a git checkout.</param>
/// <param name="ReplayCommand">The command that redoes this run (<c>chaospg replay &lt;run dir&gt;</c>).</param>
/// <param name="StartedUtc">When the run started.</param>
/// <param name="EndedUtc">When the run ended, or null when it never did.</param>
/// <param name="ReplicationMode">How the primary waits for replicas: "sync", "async", "quorum".</param>
/// <param name="Replicas">How many replicas the cluster had.</param>
/// <param name="ExitStatus">The exit code of the run (0 passed, 1 an unmet expectation, 2 the run could not complete).</param>
/// <param name="PgImage">The PostgreSQL image of a Docker-backend run (a replay uses it again); null for local runs.</param>
/// <param name="ToxiproxyImage">The Toxiproxy image of a Docker-backend run; null for local runs.</param>
/// <param name="Network">The network mode that carried the links ("proxy"); null in run.json files older than the field, which all used the proxy.</param>
/// <param name="Manager">The HA manager that decided failover ("none": the scenario promoted); null in older run.json files, which had none.</param>
/// <param name="TargetFile">The target file of a <c>--target</c> run (its full path; never its passwords, which it does not hold); null otherwise.</param>
/// <param name="TargetSha256">The SHA-256 of that file's text when the run read it: a replay refuses a file that differs.</param>
/// <param name="KeptDataDirectories">With <c>--keep-data</c>, the nodes' data directories left in place (recorded once the cluster is up, so a killed run names them too); null otherwise.</param>
/// <param name="ManagerFacts">The HA manager's versions and settings (<see cref="IManagedCluster.Facts"/>), recorded once the cluster is up; null without a manager.</param>
public sealed record RunManifest(
    string Scenario,
    string Description,
    string ScenarioFile,
    long Seed,
    string Backend,
    string PostgresVersion,
    ToxiproxyKind? ProxyKind,
    string? ProxyVersion,
    string? GitCommit,
    string ReplayCommand,
    DateTimeOffset StartedUtc,
    DateTimeOffset? EndedUtc,
    string ReplicationMode,
    int Replicas,
    int? ExitStatus,
    string? PgImage = null,
    string? ToxiproxyImage = null,
    string? Network = null,
    string? Manager = null,
    IReadOnlyList<string>? KeptDataDirectories = null,
    string? TargetFile = null,
    string? TargetSha256 = null,
    ManagerFacts? ManagerFacts = null)
{
    /// <summary>The manifest's file name inside a run folder.</summary>
    public const string FileName = "run.json";

    /// <summary>The network mode, reading a missing one (an older run.json) as the proxy every older run used.</summary>
    public string NetworkMode => Network ?? "proxy";

    /// <summary>The manager, reading a missing one (an older run.json) as none, which every older run had.</summary>
    public string ManagerName => Manager ?? "none";

    /// <summary>Wall time from start to end, when the run ended.</summary>
    public TimeSpan? Duration => EndedUtc is { } ended ? ended - StartedUtc : null;

    /// <summary>The replay command for a run folder, as the manifest records it.</summary>
    public static string ReplayCommandFor(string runDirectory) => $"chaospg replay {runDirectory}";
}
