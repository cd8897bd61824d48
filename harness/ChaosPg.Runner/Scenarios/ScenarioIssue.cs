namespace ChaosPg.Runner.Scenarios;

/// <summary>A problem with a scenario, at a key path such as <c>cluster.quorum</c> or <c>schedule[2].target</c>.</summary>
public sealed record ScenarioIssue(string Path, string Message);
