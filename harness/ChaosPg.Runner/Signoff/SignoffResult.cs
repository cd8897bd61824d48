using System.Collections.Immutable;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Runner.Signoff;

/// <summary>The runs of a sign-off, its summary and where its suite report is.</summary>
/// <param name="Runs">Every run, scenario by scenario, seed by seed.</param>
/// <param name="Summary">What the report's sign-off section shows.</param>
/// <param name="SuiteDirectory">The folder with index.html, junit.xml and suite.json.</param>
/// <param name="SeedBase">The first seed; run i of a scenario used SeedBase + i.</param>
public sealed record SignoffResult(ImmutableArray<ScenarioRunResult> Runs, SignoffSummary Summary, string SuiteDirectory, long SeedBase)
{
    /// <summary>2 when a run could not complete (or none ran), else 1 when an expectation is unmet, else 0.</summary>
    public int ExitCode => Runs.IsEmpty ? 2 : Runs.Max(r => r.ExitCode);
}
