using System.Collections.Immutable;

namespace ChaosPg.Core.Checkers;

/// <summary>Every checker's result and the merged verdict of a run.</summary>
public sealed record SuiteResult(Verdict Verdict, ImmutableArray<CheckerResult> Results)
{
    /// <summary>The result of the checker named <paramref name="checker"/>, or null.</summary>
    public CheckerResult? Find(string checker) =>
        Results.FirstOrDefault(r => string.Equals(r.Checker, checker, StringComparison.Ordinal));
}
