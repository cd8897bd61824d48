using System.Collections.Immutable;

namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>What the list-append checker found in a history, before it is turned into a verdict.</summary>
/// <param name="Found">How many of each anomaly, by <see cref="TxnAnomaly.Name"/>: bad reads one by one, cycles one per strongly connected component.</param>
/// <param name="Examples">Up to a few anomalies of each name, each with its evidence.</param>
public sealed record ListAppendAnalysis(
    ConsistencyModel Model,
    int Transactions,
    int Reads,
    int Edges,
    int Components,
    ImmutableSortedDictionary<string, int> Found,
    ImmutableSortedDictionary<string, bool> Forbidden,
    ImmutableArray<TxnAnomaly> Examples);
