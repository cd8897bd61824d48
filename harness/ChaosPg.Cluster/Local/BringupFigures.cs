using System.Collections.Immutable;

namespace ChaosPg.Cluster.Local;

/// <summary>Bring-up timings: primary + 1 replica to streaming (template warm) against a bare initdb of the same binaries.</summary>
public sealed record BringupFigures(
    string PgVersion,
    int Runs,
    double BringupMedianMs,
    double InitdbMedianMs,
    double Ratio,
    ImmutableArray<double> BringupMs,
    ImmutableArray<double> InitdbMs);
