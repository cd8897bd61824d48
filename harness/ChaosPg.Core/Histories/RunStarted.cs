namespace ChaosPg.Core.Histories;

/// <summary>The header line of a history: what ran, with which seed, when, and which node was the primary at start.</summary>
public sealed record RunStarted(
    long AtMicros,
    string Scenario,
    long Seed,
    DateTimeOffset StartedUtc,
    string InitialPrimary) : HistoryLine(AtMicros);
