using System.Collections.Immutable;

namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>
/// One anomaly the list-append checker found. For a cycle: the operation ids of its transactions in cycle order, the
/// kind of each edge (edge i goes from transaction i to transaction i+1, the last back to the first), and why each
/// edge exists, in words that can be checked against the history. For a bad read: the reader and the writer.
/// </summary>
/// <param name="Variant">"" for a cycle of data dependencies alone, "process" or "realtime" when it needs that order.</param>
/// <param name="Forbidden">True when the run's declared consistency model forbids it.</param>
public sealed record TxnAnomaly(
    AnomalyKind Kind,
    string Variant,
    bool Forbidden,
    ImmutableArray<long> Operations,
    ImmutableArray<DependencyKind> Edges,
    ImmutableArray<string> Steps)
{
    /// <summary>"G-single", "Long Fork", "G0-realtime"...</summary>
    public string Name => Kind.Name(Variant);
}
