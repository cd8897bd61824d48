using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Checkers;

namespace ChaosPg.Runner.Runs;

/// <summary>
/// Two runs of one scenario with one seed, side by side (what <c>chaospg replay</c> prints): the seed fixes the schedule
/// and the rows the workload generates, ids included; how many operations fit between two faults, and so every count
/// below, depends on timing and may differ.
/// </summary>
public static class RunComparison
{
    private static readonly ImmutableArray<(string Label, string Checker, string Name, bool Figure)> Rows =
    [
        ("writes acknowledged", "availability", "okWrites", false),
        ("writes failed", "availability", "failedWrites", false),
        ("writes indeterminate", "availability", "indeterminateWrites", false),
        ("writes still waiting at the stop", "availability", "hungUntilStop", false),
        ("acknowledged before the first fault", "durability", "acknowledgedBeforeFirstFault", false),
        ("acknowledged writes lost", "durability", "lost", false),
        ("  of them after a sync warning", "durability", "lostWithSyncWarning", false),
        ("reads ok", "replica-reads", "okReads", false),
        ("RTO (ms)", "availability", "rtoMs", true),
        ("longest span without an ack (ms)", "availability", "longestGapMs", true),
        ("time to converge (ms)", "convergence", "convergenceMs", true),
    ];

    /// <summary>The comparison as aligned lines: a header naming the seed, then one line per count and per verdict.</summary>
    public static ImmutableArray<string> Lines(long seed, RunResults? original, RunResults? replay)
    {
        var lines = ImmutableArray.CreateBuilder<string>();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: same schedule, same generated rows and ids; counts depend on timing and may differ"));
        lines.Add(Line(string.Empty, "original", "replay"));
        lines.Add(Line("outcome", Outcome(original), Outcome(replay)));
        foreach (var (label, checker, name, figure) in Rows)
        {
            var before = Value(original, checker, name, figure);
            var after = Value(replay, checker, name, figure);
            if (before is not null || after is not null)
            {
                lines.Add(Line(label, before ?? "-", after ?? "-"));
            }
        }

        var checkers = (original?.Suite?.Results ?? []).Select(r => r.Checker)
            .Concat((replay?.Suite?.Results ?? []).Select(r => r.Checker))
            .Distinct(StringComparer.Ordinal);
        foreach (var checker in checkers)
        {
            lines.Add(Line("verdict " + checker, Verdict(original, checker), Verdict(replay, checker)));
        }

        return lines.ToImmutable();
    }

    private static string Line(string label, string original, string replay) =>
        string.Create(CultureInfo.InvariantCulture, $"{label,-38} {original,12} {replay,12}");

    private static string Outcome(RunResults? results) => results?.Outcome.ToString().ToLowerInvariant() ?? "-";

    private static string Verdict(RunResults? results, string checker) =>
        results?.Suite?.Find(checker)?.Verdict.ToString().ToLowerInvariant() ?? "-";

    private static string? Value(RunResults? results, string checker, string name, bool figure)
    {
        if (results?.Suite?.Find(checker) is not CheckerResult result)
        {
            return null;
        }

        if (figure)
        {
            return result.Figures.TryGetValue(name, out var value) ? value.ToString("0.#", CultureInfo.InvariantCulture) : null;
        }

        return result.Counts.TryGetValue(name, out var count) ? count.ToString(CultureInfo.InvariantCulture) : null;
    }
}
