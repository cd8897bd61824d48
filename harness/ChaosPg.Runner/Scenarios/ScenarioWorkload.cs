using System.Collections.Immutable;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The clients of a scenario: <see cref="Rate"/> is operations per second across all clients (null: unthrottled);
/// <see cref="ClientTimeout"/> is the command timeout after which a client cancels (null: none); <see cref="Mix"/>
/// weighs the workload's operations (empty: the workload's own mix).
/// </summary>
public sealed record ScenarioWorkload(
    string Kind,
    int Writers,
    int Readers,
    int? Rate,
    TimeSpan? ClientTimeout,
    ImmutableSortedDictionary<string, int> Mix)
{
    /// <summary>The workload kinds the runner knows.</summary>
    public static readonly ImmutableArray<string> Kinds = ["bank", "orders"];

    public const int MaxClients = 64;

    public bool Equals(ScenarioWorkload? other) =>
        other is not null
        && Kind == other.Kind
        && Writers == other.Writers
        && Readers == other.Readers
        && Rate == other.Rate
        && ClientTimeout == other.ClientTimeout
        && Mix.SequenceEqual(other.Mix);

    public override int GetHashCode() => HashCode.Combine(Kind, Writers, Readers, Rate, ClientTimeout, Mix.Count);
}
