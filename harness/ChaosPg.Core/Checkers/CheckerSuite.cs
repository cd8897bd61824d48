using System.Collections.Immutable;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Runs every checker on a history and its final state and merges the verdicts. A checker that throws yields an
/// unknown result carrying the error; the suite itself never throws for bad data.
/// </summary>
/// <example><code>var result = CheckerSuite.Default.Run(history, finalState); // result.Verdict, result.Results</code></example>
public sealed class CheckerSuite
{
    public CheckerSuite(IEnumerable<IChecker> checkers)
    {
        ArgumentNullException.ThrowIfNull(checkers);
        Checkers = [.. checkers];
    }

    /// <summary>Writes the primary must acknowledge before the first fault for durability, convergence or replica reads to be valid.</summary>
    public const int MinAcknowledgedBeforeFault = 20;

    /// <summary>Ok reads a run must have for replica reads to be valid.</summary>
    public const int MinOkReads = 20;

    /// <summary>
    /// Every checker ChaosPg has, in report order. Durability, convergence and replica reads are unknown rather than
    /// valid when the workload did too little before the first fault to test them (<see cref="MinimumWorkChecker"/>).
    /// </summary>
    public static CheckerSuite Default { get; } = new(
    [
        new MinimumWorkChecker(new DurabilityChecker(), MinAcknowledgedBeforeFault),
        new PhantomChecker(),
        new DuplicateChecker(),
        new MinimumWorkChecker(new ConvergenceChecker(), MinAcknowledgedBeforeFault, transactionsCount: true),
        new MinimumWorkChecker(new ReplicaReadChecker(), MinAcknowledgedBeforeFault, MinOkReads),
        new SplitBrainChecker(),
        new AvailabilityChecker(),
        new Transactions.ListAppendChecker(),
    ]);

    public ImmutableArray<IChecker> Checkers { get; }

    public SuiteResult Run(History history, FinalState finalState)
    {
        var context = new CheckContext(history, finalState);
        var results = ImmutableArray.CreateBuilder<CheckerResult>(Checkers.Length);
        foreach (var checker in Checkers)
        {
            results.Add(RunOne(checker, context));
        }

        return new SuiteResult(VerdictMerge.Merge(results.Select(r => r.Verdict)), results.MoveToImmutable());
    }

    // Any failure of a checker is a gap in the judgement, not a crash of the run.
#pragma warning disable CA1031
    private static CheckerResult RunOne(IChecker checker, CheckContext context)
    {
        try
        {
            return checker.Check(context);
        }
        catch (Exception e)
        {
            return new CheckerResult(
                checker.Name,
                Verdict.Unknown,
                $"checker failed: {e.GetType().Name}: {e.Message}",
                ImmutableSortedDictionary<string, long>.Empty,
                ImmutableSortedDictionary<string, double>.Empty,
                [],
                e.ToString());
        }
    }
#pragma warning restore CA1031
}
