using System.Collections.Immutable;

namespace ChaosPg.Cluster.Local;

/// <summary>
/// Bring-up of primary + 1 replica to streaming as containers (with the Toxiproxy container and the proxied WAL
/// link) against the same pair as local processes, interleaved in one run. The goal: containers at most 2x local.
/// </summary>
public sealed record DockerBringupFigures(
    string PgImage,
    string DockerPgVersion,
    string LocalPgVersion,
    int Runs,
    double DockerMedianMs,
    double LocalMedianMs,
    double Ratio,
    ImmutableArray<double> DockerMs,
    ImmutableArray<double> LocalMs);
