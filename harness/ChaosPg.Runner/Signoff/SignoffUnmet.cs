namespace ChaosPg.Runner.Signoff;

/// <summary>One expectation a run did not meet (or a run that could not complete), with how to reproduce it.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Seed">The run's seed, or null when run.json is missing.</param>
/// <param name="Checker">The checker whose expectation is unmet, or "run" when the run could not complete.</param>
/// <param name="Evidence">One line: why it is unmet and the checker's own summary.</param>
/// <param name="ReplayCommand">The command that redoes the run.</param>
public sealed record SignoffUnmet(string Scenario, long? Seed, string Checker, string Evidence, string ReplayCommand);
