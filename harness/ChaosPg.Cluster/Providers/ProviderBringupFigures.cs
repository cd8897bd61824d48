using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Bring-up of primary + 1 replica to streaming by one provider (e.g. docker/proxy/none) against the default one
/// (local/proxy/none), interleaved in one run. The goals: containers at most 2x local; a manager at most 3x.
/// </summary>
/// <param name="Provider">backend/network/manager measured.</param>
/// <param name="Baseline">backend/network/manager compared with.</param>
/// <param name="PgImage">The PostgreSQL image when the backend runs containers, else null.</param>
/// <param name="PgVersion">The server version the measured cluster reported.</param>
/// <param name="BaselinePgVersion">The server version the baseline cluster reported.</param>
/// <param name="Runs">Measured bring-ups of each (after one warm-up of each).</param>
/// <param name="MedianMs">Median bring-up of the measured provider, in ms.</param>
/// <param name="BaselineMedianMs">Median bring-up of the baseline, in ms.</param>
/// <param name="Ratio">MedianMs / BaselineMedianMs.</param>
/// <param name="Ms">Each measured bring-up, in ms.</param>
/// <param name="BaselineMs">Each baseline bring-up, in ms.</param>
public sealed record ProviderBringupFigures(
    string Provider,
    string Baseline,
    string? PgImage,
    string PgVersion,
    string BaselinePgVersion,
    int Runs,
    double MedianMs,
    double BaselineMedianMs,
    double Ratio,
    ImmutableArray<double> Ms,
    ImmutableArray<double> BaselineMs);
