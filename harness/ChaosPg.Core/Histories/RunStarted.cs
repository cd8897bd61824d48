namespace ChaosPg.Core.Histories;

/// <summary>The header line of a history: what ran, with which seed, when, and which node was the primary at start.</summary>
/// <param name="ConsistencyModel">For list-append runs: the model the transactions are judged against ("serializable", "snapshot-isolation", ...).</param>
public sealed record RunStarted(
    long AtMicros,
    string Scenario,
    long Seed,
    DateTimeOffset StartedUtc,
    string InitialPrimary,
    string? ConsistencyModel = null) : HistoryLine(AtMicros);
