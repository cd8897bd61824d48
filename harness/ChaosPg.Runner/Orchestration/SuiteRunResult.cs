using System.Collections.Immutable;

namespace ChaosPg.Runner.Orchestration;

/// <summary>The runs of a suite, where its index is, and how long it took.</summary>
/// <param name="Runs">One result per scenario, in the order they ran.</param>
/// <param name="SuiteDirectory">reports/suites/&lt;utc&gt;/ with index.html and junit.xml, or null for a single run.</param>
/// <param name="Elapsed">Wall time of the whole suite.</param>
public sealed record SuiteRunResult(ImmutableArray<ScenarioRunResult> Runs, string? SuiteDirectory, TimeSpan Elapsed)
{
    /// <summary>The worst exit code of the runs: 2 when one could not complete, else 1 when one failed, else 0.</summary>
    public int ExitCode => Runs.IsEmpty ? 2 : Runs.Max(r => r.ExitCode);
}
