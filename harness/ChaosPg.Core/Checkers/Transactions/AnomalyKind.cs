namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>The anomalies the list-append checker names; docs/history-and-checkers.md gives each one's exact definition.</summary>
public enum AnomalyKind
{
    G0,
    G1a,
    G1b,
    G1c,
    GSingle,
    GNonadjacent,
    LongFork,
    G2Item,
    IncompatibleOrder,
    DuplicateElements,
    GarbageRead,
}
