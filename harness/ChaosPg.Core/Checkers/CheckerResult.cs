using System.Collections.Immutable;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// What one checker concluded. The verdict is the checker's strict reading (e.g. any lost acknowledged write is
/// invalid); the runner compares <see cref="Counts"/> and <see cref="Figures"/> with the scenario's expectations
/// (e.g. "lost writes allowed" for asynchronous failover) to decide pass or fail.
/// </summary>
/// <param name="Counts">Integer facts keyed by camelCase names (e.g. "lost", "lostWithSyncWarning").</param>
/// <param name="Figures">Measurements keyed by camelCase names with their unit as suffix (e.g. "rtoMs").</param>
/// <param name="Error">The exception text when the checker itself failed (the verdict is then unknown).</param>
public sealed record CheckerResult(
    string Checker,
    Verdict Verdict,
    string Summary,
    ImmutableSortedDictionary<string, long> Counts,
    ImmutableSortedDictionary<string, double> Figures,
    ImmutableArray<Evidence> Evidence,
    string? Error = null);
