using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Bring-up timings of the default provider (local processes, links through Toxiproxy, no manager): primary + 1
/// replica to streaming (template warm) against a bare initdb of the same binaries.
/// </summary>
public sealed record BringupFigures(
    string Provider,
    string PgVersion,
    int Runs,
    double BringupMedianMs,
    double InitdbMedianMs,
    double Ratio,
    ImmutableArray<double> BringupMs,
    ImmutableArray<double> InitdbMs);
