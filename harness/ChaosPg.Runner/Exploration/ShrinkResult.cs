using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Exploration;

/// <summary>The outcome of shrinking a failing scenario.</summary>
/// <param name="Scenario">The smallest failing scenario found.</param>
/// <param name="Failure">The failing run of that scenario (its seed replays it).</param>
/// <param name="ShrinkSteps">How many candidates were accepted on the way (each a smaller failing schedule).</param>
/// <param name="Runs">Runs spent shrinking.</param>
/// <param name="Stop">Whether a local minimum was reached or the budget ran out.</param>
public sealed record ShrinkResult(Scenario Scenario, TrialResult Failure, int ShrinkSteps, int Runs, ShrinkStop Stop);
