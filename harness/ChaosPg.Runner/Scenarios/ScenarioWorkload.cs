using System.Collections.Immutable;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The clients of a scenario: <see cref="Rate"/> is operations per second across all clients (null: unthrottled);
/// <see cref="ClientTimeout"/> is the command timeout after which a client cancels (null: none). The mix of
/// operations is the ratio of <see cref="Writers"/> to <see cref="Readers"/>: writers only write, readers only read.
/// </summary>
public sealed record ScenarioWorkload(
    string Kind,
    int Writers,
    int Readers,
    int? Rate,
    TimeSpan? ClientTimeout)
{
    /// <summary>The workload kinds the runner knows.</summary>
    public static readonly ImmutableArray<string> Kinds = ["bank", "orders"];

    public const int MaxClients = 64;
}
