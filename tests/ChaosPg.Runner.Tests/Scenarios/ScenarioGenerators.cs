using System.Collections.Immutable;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;
using FsCheck;
using FsCheck.Fluent;
using ReplicationMode = ChaosPg.Cluster.ReplicationMode;
using SyncAfterPromotion = ChaosPg.Cluster.SyncAfterPromotion;

namespace ChaosPg.Runner.Tests.Scenarios;

/// <summary>FsCheck generators of valid scenarios: every part in range, and a schedule the simulator accepts.</summary>
internal static class ScenarioGenerators
{
    // Texts chosen to trip a YAML writer: indicators, quotes, YAML's own null/bool words, numbers, line breaks.
    private static readonly string[] Descriptions =
    [
        "a plain sentence", "key: value", "# not a comment", "- not a list", "'single'", "\"double\"", "null", "~", "yes",
        "123", "two\nlines", "  leading spaces", "trailing spaces  ", "tab\there", "{flow}", "[flow]", "é and ü", "a > b | c",
    ];

    private static readonly string[] Settings = ["wal_sender_timeout", "max_wal_senders", "log_min_messages", "wal_keep_size"];

    private static readonly string[] SettingValues = ["5s", "10", "warning", "64MB", "on", "''"];

    public static Gen<Scenario> Scenario() =>
        from name in Gen.Choose(0, 999).Select(i => $"generated-{i}")
        from description in Gen.Elements(Descriptions).ListOf(3).Where(parts => parts.Count > 0).Select(parts => string.Join(" ", parts))
        from tags in Gen.SubListOf("release", "nightly", "hazard")
        from cluster in Cluster()
        from workload in Workload()
        from durationMs in Gen.Choose(5_000, 60_000)
        from expect in Expectations()
        from candidates in Candidate().ListOf(24)
        let duration = TimeSpan.FromMilliseconds(durationMs)
        select new Scenario(name, description, [.. tags], cluster, workload, duration, Schedule(candidates, cluster.Replicas, duration), expect);

    private static Gen<ScenarioCluster> Cluster() =>
        from replicas in Gen.Choose(NodeNames.MinReplicas, NodeNames.MaxReplicas)
        from mode in Gen.Elements(ReplicationMode.Async, ReplicationMode.Sync, ReplicationMode.Quorum)
        from k in Gen.Choose(1, replicas)
        from explicitK in Gen.Elements(true, false)
        from commit in Gen.Elements(ScenarioCluster.SynchronousCommitValues.ToArray())
        from settings in Gen.SubListOf(Settings)
        from values in Gen.Elements(SettingValues).ArrayOf(Settings.Length)
        from afterPromotion in Gen.Elements<SyncAfterPromotion?>(null, SyncAfterPromotion.Surviving, SyncAfterPromotion.None)
        select new ScenarioCluster(
            replicas,
            mode,
            mode switch { ReplicationMode.Quorum => k, ReplicationMode.Sync when explicitK => k, _ => null },
            commit,
            settings.Select((s, i) => KeyValuePair.Create(s, values[i])).ToImmutableSortedDictionary(StringComparer.Ordinal),
            mode == ReplicationMode.Async ? null : afterPromotion);

    private static Gen<ScenarioWorkload> Workload() =>
        from kind in Gen.Elements(ScenarioWorkload.Kinds.ToArray())
        from writers in Gen.Choose(1, ScenarioWorkload.MaxClients)
        from readers in Gen.Choose(0, 8)
        from rate in Gen.Choose(0, 500)
        from timeoutMs in Gen.Choose(0, 5_000)
        from isolation in Gen.Elements(-1, 0, 1, 2)
        from model in Gen.Elements(-1, 0, 1, 2, 3, 4, 5)
        select new ScenarioWorkload(
            kind,
            writers,
            readers,
            rate == 0 ? null : rate,
            timeoutMs == 0 ? null : TimeSpan.FromMilliseconds(timeoutMs),
            kind == ScenarioWorkload.ListAppend && isolation >= 0 ? ScenarioWorkload.IsolationLevels[isolation] : null,
            kind == ScenarioWorkload.ListAppend && model >= 0 ? Core.Checkers.Transactions.ConsistencyModels.Names[model] : null);

    private static Gen<ScenarioExpectations> Expectations() =>
        from verdicts in Gen.Elements(ExpectedVerdict.Valid, ExpectedVerdict.Invalid, ExpectedVerdict.Any).ArrayOf(ScenarioExpectations.CheckerNames.Length)
        from allowed in Gen.Elements(true, false)
        from rtoMs in Gen.Elements(0, 500, 30_000, 120_000)
        select Consistent(ScenarioExpectations.CheckerNames
            .Select((checker, i) => (checker, verdict: verdicts[i]))
            .Aggregate(
                ScenarioExpectations.Default with
                {
                    LostWrites = allowed ? LostWritesPolicy.Allowed : LostWritesPolicy.Forbidden,
                    RtoBound = rtoMs == 0 ? null : TimeSpan.FromMilliseconds(rtoMs),
                },
                (expect, pair) => expect.With(pair.checker, pair.verdict)));

    // Durability must agree with the lost-writes policy; the validator rejects the two contradictions.
    private static ScenarioExpectations Consistent(ScenarioExpectations e) => (e.LostWrites, e.Durability) switch
    {
        (LostWritesPolicy.Allowed, ExpectedVerdict.Valid) => e with { Durability = ExpectedVerdict.Any },
        (LostWritesPolicy.Forbidden, ExpectedVerdict.Invalid) => e with { Durability = ExpectedVerdict.Valid },
        _ => e,
    };

    // A raw step: which kind, three choices interpreted against the cluster, the gap since the previous step.
    private static Gen<int[]> Candidate() => Gen.Choose(0, 999).ArrayOf(5);

    // Interprets candidates one by one and keeps each only if the schedule so far still simulates without an issue,
    // so the schedule is valid by construction and still exercises promotes, rejoins, overlaps and heals.
    private static ImmutableArray<ScheduleStep> Schedule(IEnumerable<int[]> candidates, int replicas, TimeSpan duration)
    {
        var steps = new List<ScheduleStep>();
        TimeSpan at = TimeSpan.Zero;
        ImmutableArray<string> nodes = NodeNames.ForCluster(replicas);
        foreach (int[] c in candidates)
        {
            TimeSpan next = at + TimeSpan.FromMilliseconds(c[4] % 4 * 500);
            string node = nodes[c[1] % nodes.Length];
            string other = nodes[c[2] % nodes.Length];
            Link link = c[2] % 2 == 0 ? Link.ClientTo(node) : new Link(node, other);
            TimeSpan? length = c[3] % 3 == 0 ? null : TimeSpan.FromMilliseconds(250 * (1 + (c[3] % 8)));
            ScheduleStep step = (c[0] % 13) switch
            {
                0 => new PartitionFault(next, c[3] % 2 == 0 ? new NodeTarget(node) : new LinkTarget(link), length),
                1 => new BlackholeFault(next, new LinkTarget(link), length),
                2 => new LatencyFault(next, link, TimeSpan.FromMilliseconds(c[3] % 400 + 1), TimeSpan.FromMilliseconds(c[3] % 400 / 2),
                    (LatencyDirection)(c[1] % 3), length),
                3 => new BandwidthFault(next, link, c[3] + 1, length),
                4 => new ResetFault(next, link, length),
                5 => new KillFault(next, node, length),
                6 => new PauseFault(next, node, length),
                7 => new RestartFault(next, node),
                8 => new TerminateBackendsFault(next, node),
                9 => new PromoteAction(next, node),
                10 => new RejoinAction(next, node),
                11 => new HealAction(next),
                _ => new WaitConvergedAction(next, TimeSpan.FromSeconds(1 + (c[3] % 30))),
            };
            steps.Add(step);
            if (ScheduleSimulator.Simulate(steps, replicas, duration).IsValid)
            {
                at = next;
            }
            else
            {
                steps.RemoveAt(steps.Count - 1);
            }
        }

        return [.. steps];
    }
}
