using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Exploration;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Exploration;

/// <summary>
/// A SIMULATED cluster for shrinker tests (a test double, no PostgreSQL): it loses writes iff the schedule holds a
/// partition or latency on a WAL link AND a kill of the primary followed by a promote. With a
/// <paramref name="failureProbability"/> below 1 a losing schedule loses only on some runs (seeded, so repeatable),
/// like real timing does.
/// </summary>
internal sealed class SimulatedLossCluster(double failureProbability = 1.0, int randomSeed = 7) : IScheduleTrial
{
    private readonly Random random = new(randomSeed);

    public int Runs { get; private set; }

    /// <summary>Called after each run that lost writes (a test cancels the session there).</summary>
    public Action? AfterLoss { get; init; }

    public static bool Loses(IReadOnlyList<ScheduleStep> schedule)
    {
        bool walFault = schedule.Any(step => step is PartitionFault { Target: LinkTarget { Link.IsClientLink: false } } or LatencyFault { Link.IsClientLink: false });
        var killOfPrimary = schedule.Select((step, index) => (step, index)).FirstOrDefault(p => p.step is KillFault { Node: NodeNames.Primary, For: null });
        bool promoteAfter = killOfPrimary.step is not null && schedule.Skip(killOfPrimary.index + 1).Any(step => step is PromoteAction);
        return walFault && promoteAfter;
    }

    public Task<TrialResult> RunAsync(Scenario scenario, long seed, CancellationToken cancellationToken = default)
    {
        Runs++;
        bool lost = Loses(scenario.Schedule) && random.NextDouble() < failureProbability;
        if (lost)
        {
            AfterLoss?.Invoke();
        }

        return Task.FromResult(new TrialResult(
            lost ? TrialVerdict.Violated : TrialVerdict.Held,
            lost ? "durability invalid: simulated loss" : "all expectations met",
            seed,
            null,
            TimeSpan.FromSeconds(1)));
    }
}
