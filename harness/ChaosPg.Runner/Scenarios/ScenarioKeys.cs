using System.Collections.Immutable;

namespace ChaosPg.Runner.Scenarios;

/// <summary>The keys of a scenario file, shared by the parser, the writer and the validator's issue paths.</summary>
internal static class ScenarioKeys
{
    public const string Name = "name";
    public const string Description = "description";
    public const string Tags = "tags";
    public const string Cluster = "cluster";
    public const string Workload = "workload";
    public const string Duration = "duration";
    public const string Schedule = "schedule";
    public const string Expect = "expect";

    public const string Replicas = "replicas";
    public const string Replication = "replication";
    public const string Quorum = "quorum";
    public const string SynchronousCommit = "synchronous-commit";
    public const string SyncAfterPromotion = "sync-after-promotion";
    public const string Settings = "settings";
    public const string Network = "network";
    public const string Manager = "manager";

    // Patroni's settings in cluster.manager (a mapping with name: patroni).
    public const string Ttl = "ttl";
    public const string LoopWait = "loop-wait";
    public const string RetryTimeout = "retry-timeout";
    public const string MaximumLagOnFailover = "maximum-lag-on-failover";
    public const string SynchronousMode = "synchronous-mode";
    public const string EtcdMembers = "etcd-members";
    public const string Witness = "witness";

    public const string Kind = "kind";
    public const string Writers = "writers";
    public const string Readers = "readers";
    public const string Rate = "rate";
    public const string ClientTimeout = "client-timeout";
    public const string Unthrottled = "unthrottled";
    public const string Isolation = "isolation";
    public const string ConsistencyModel = "consistency-model";

    public const string At = "at";
    public const string Fault = "fault";
    public const string Action = "action";
    public const string Target = "target";
    public const string For = "for";
    public const string Latency = "latency";
    public const string Jitter = "jitter";
    public const string Direction = "direction";
    public const string Deadline = "deadline";
    public const string Probability = "probability";
    public const string Process = "process";
    public const string Candidate = "candidate";
    public const string State = "state";

    public const string LostWrites = "lost-writes";
    public const string Rto = "rto";

    public static readonly ImmutableArray<string> TopLevel = [Name, Description, Tags, Cluster, Workload, Duration, Schedule, Expect];
    public static readonly ImmutableArray<string> ClusterKeys = [Replicas, Replication, Quorum, SynchronousCommit, SyncAfterPromotion, Settings, Network, Manager];
    public static readonly ImmutableArray<string> WorkloadKeys = [Kind, Writers, Readers, Rate, ClientTimeout, Isolation, ConsistencyModel];
    public static readonly ImmutableArray<string> PatroniKeys = [Name, Ttl, LoopWait, RetryTimeout, MaximumLagOnFailover, SynchronousMode, EtcdMembers];
    public static readonly ImmutableArray<string> RepmgrKeys = [Name, Witness];
    public static readonly ImmutableArray<string> ExpectKeys = [.. ScenarioExpectations.CheckerNames, LostWrites, Rto];

    public static string Step(int index) => $"{Schedule}[{index}]";

    public static string Step(int index, string key) => $"{Schedule}[{index}].{key}";
}
