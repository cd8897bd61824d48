using System.Collections.Immutable;

namespace ChaosPg.Runner.Reports;

/// <summary>What a suite folder reports on: <c>suite.json</c>, enough to rebuild index.html and junit.xml.</summary>
/// <param name="Name">The suite's name (the JUnit testsuite name).</param>
/// <param name="CreatedUtc">When the suite ran.</param>
/// <param name="Runs">The run folders, relative to the suite folder when they lie under the same root, else absolute.</param>
/// <param name="Explore">The explore session's result, when the suite ran one.</param>
/// <param name="Signoff">True for a release sign-off: the index then carries the sign-off summary and signature block.</param>
public sealed record SuiteManifest(string Name, DateTimeOffset CreatedUtc, ImmutableArray<string> Runs, ExploreSummary? Explore = null, bool Signoff = false)
{
    /// <summary>The manifest's file name inside a suite folder.</summary>
    public const string FileName = "suite.json";
}
