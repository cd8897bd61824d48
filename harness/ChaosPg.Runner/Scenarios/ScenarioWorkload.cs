using System.Collections.Immutable;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The clients of a scenario: <see cref="Rate"/> is operations per second across all clients (null: unthrottled);
/// <see cref="ClientTimeout"/> is the command timeout after which a client cancels (null: none). The mix of
/// operations is the ratio of <see cref="Writers"/> to <see cref="Readers"/>: writers only write, readers only read.
/// For <c>list-append</c>, writers run read/append transactions on the primary at <see cref="Isolation"/> and
/// readers run read-only transactions on their node (repeatable read on a replica); <see cref="ConsistencyModel"/>
/// is what the transactions checker judges them against.
/// </summary>
/// <param name="Kind">bank, orders or list-append.</param>
/// <param name="Writers">Writing clients (list-append: transactions on the primary).</param>
/// <param name="Readers">Reading clients (list-append: read-only transactions on their node).</param>
/// <param name="Rate">Operations (transactions) per second across all clients; null: unthrottled.</param>
/// <param name="ClientTimeout">The command timeout after which a client cancels; null: none.</param>
/// <param name="Isolation">list-append only: read-committed, repeatable-read or serializable (null: serializable).</param>
/// <param name="ConsistencyModel">list-append only: a model of ConsistencyModels.Names (null: the one the isolation level promises).</param>
public sealed record ScenarioWorkload(
    string Kind,
    int Writers,
    int Readers,
    int? Rate,
    TimeSpan? ClientTimeout,
    string? Isolation = null,
    string? ConsistencyModel = null)
{
    /// <summary>The workload kinds the runner knows.</summary>
    public static readonly ImmutableArray<string> Kinds = ["bank", "orders", ListAppend];

    /// <summary>The transactional workload: rows holding lists of integers, read and appended in transactions.</summary>
    public const string ListAppend = "list-append";

    /// <summary>The isolation levels a list-append workload may run its primary transactions at.</summary>
    public static readonly ImmutableArray<string> IsolationLevels = ["read-committed", "repeatable-read", "serializable"];

    /// <summary>The isolation level in effect: the declared one, else serializable.</summary>
    public string EffectiveIsolation => Isolation ?? "serializable";

    /// <summary>The model the transactions are judged by: the declared one, else what the isolation level promises in PostgreSQL.</summary>
    public string? EffectiveConsistencyModel => Kind != ListAppend
        ? null
        : ConsistencyModel ?? EffectiveIsolation switch
        {
            "read-committed" => "read-committed",
            "repeatable-read" => "snapshot-isolation",
            _ => "serializable",
        };

    public const int MaxClients = 64;
}
