using System.Collections.Immutable;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// The smaller schedules to try in place of a failing one, biggest cuts first: remove a failover (the kill of the
/// primary, its promote, and the rejoin of that primary), remove one step, move a WAL-link fault to the front on a
/// link of the starting topology (so the steps that created its link can go next), halve a fault's length, halve a
/// latency, drop a jitter. The closing block (heal, rejoins, wait-converged) always stays. Only candidates the validator and the explorer's
/// model accept are returned.
/// </summary>
public static class ShrinkCandidates
{
    /// <summary>Every valid smaller variant of <paramref name="scenario"/>'s schedule, in the order to try them.</summary>
    public static IEnumerable<Scenario> Of(Scenario scenario, bool requireAllNodesBack)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return Raw(scenario.Schedule, scenario.Cluster.Replicas)
            .Select(schedule => scenario with { Schedule = schedule })
            .Where(candidate => IsExplorable(candidate, requireAllNodesBack));
    }

    /// <summary>True when the scenario validates and its schedule is one the explorer could have generated.</summary>
    public static bool IsExplorable(Scenario scenario, bool requireAllNodesBack)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return ScheduleModel.Accepts(scenario.Schedule, scenario.Cluster.Replicas, requireAllNodesBack)
            && ScenarioValidator.Validate(scenario).IsEmpty;
    }

    /// <summary>The candidates before validation: <paramref name="schedule"/> minus or with a milder version of its moves.</summary>
    public static IEnumerable<ImmutableArray<ScheduleStep>> Raw(ImmutableArray<ScheduleStep> schedule, int replicas)
    {
        int body = ScheduleGenerator.MoveCount(schedule);
        for (int i = 0; i < body; i++)
        {
            if (schedule[i] is KillFault { For: null, Node: var killed }
                && schedule.Skip(i + 1).Take(body - i - 1).Select((s, k) => (Step: s, Index: i + 1 + k)).FirstOrDefault(p => p.Step is PromoteAction) is { Step: not null } promote)
            {
                var rejoin = schedule.Skip(promote.Index + 1).Take(body - promote.Index - 1)
                    .Select((s, k) => (Step: s, Index: promote.Index + 1 + k))
                    .FirstOrDefault(p => p.Step is RejoinAction { Node: var node } && node == killed);
                if (rejoin.Step is not null)
                {
                    yield return Without(schedule, i, promote.Index, rejoin.Index);
                }

                yield return Without(schedule, i, promote.Index);
            }
        }

        for (int i = 0; i < body; i++)
        {
            yield return Without(schedule, i);
        }

        // A WAL-link fault on a link that only a promote or rejoin created keeps those steps alive; the same fault on
        // a link of the starting topology, first in the schedule, may not need them.
        var initialLinks = NodeNames.ForCluster(replicas).Skip(1).Select(replica => new Link(replica, NodeNames.Primary)).ToList();
        for (int i = 0; i < body; i++)
        {
            if (schedule[i] is FaultStep { IsNetwork: true, Target: LinkTarget { Link: { IsClientLink: false } link } } fault)
            {
                foreach (var initial in initialLinks.Where(initial => i > 0 || initial != link))
                {
                    yield return [Retarget(fault, initial, schedule[0].At), .. schedule.Where((_, index) => index != i)];
                }
            }
        }

        for (int i = 0; i < body; i++)
        {
            if (schedule[i] is FaultStep { For: { } length } fault && Halve(length) is { } half)
            {
                yield return schedule.SetItem(i, WithFor(fault, half));
            }
        }

        for (int i = 0; i < body; i++)
        {
            if (schedule[i] is LatencyFault latency)
            {
                if (Halve(latency.Latency) is { } half)
                {
                    yield return schedule.SetItem(i, latency with { Latency = half, Jitter = TimeSpan.Zero });
                }
                else if (latency.Jitter > TimeSpan.Zero)
                {
                    yield return schedule.SetItem(i, latency with { Jitter = TimeSpan.Zero });
                }
            }
        }
    }

    private static ImmutableArray<ScheduleStep> Without(ImmutableArray<ScheduleStep> schedule, params int[] indexes) =>
        [.. schedule.Where((_, index) => !indexes.Contains(index))];

    // Halves to whole milliseconds, not below 10 ms: shorter faults say nothing more.
    private static TimeSpan? Halve(TimeSpan length)
    {
        long half = (long)length.TotalMilliseconds / 2;
        return half >= 10 ? TimeSpan.FromMilliseconds(half) : null;
    }

    // Built anew: a with-expression would keep the base record's Target pointing at the old link.
    private static FaultStep Retarget(FaultStep fault, Link link, TimeSpan at) => fault switch
    {
        PartitionFault f => new PartitionFault(at, new LinkTarget(link), f.For) { Direction = f.Direction },
        BlackholeFault f => new BlackholeFault(at, new LinkTarget(link), f.For),
        LatencyFault f => new LatencyFault(at, link, f.Latency, f.Jitter, f.Direction, f.For),
        BandwidthFault f => new BandwidthFault(at, link, f.RateKilobytesPerSecond, f.For),
        ResetFault f => new ResetFault(at, link, f.For),
        LossFault f => new LossFault(at, link, f.Probability, f.Direction, f.For),
        _ => fault,
    };

    private static FaultStep WithFor(FaultStep fault, TimeSpan length) => fault switch
    {
        PartitionFault f => f with { For = length },
        BlackholeFault f => f with { For = length },
        IsolateFault f => f with { For = length },
        LatencyFault f => f with { For = length },
        BandwidthFault f => f with { For = length },
        ResetFault f => f with { For = length },
        LossFault f => f with { For = length },
        KillFault f => f with { For = length },
        PauseFault f => f with { For = length },
        _ => fault,
    };
}
