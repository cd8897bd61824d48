namespace ChaosPg.Runner.Signoff;

/// <summary>The worst-case figures of every run of one replication mode; a figure no run measured is null.</summary>
/// <param name="Mode">"async", "sync" or "quorum".</param>
/// <param name="Runs">How many runs used this mode.</param>
/// <param name="WorstLostWrites">RPO: the most acknowledged writes one run lost.</param>
/// <param name="WidestLossWindowMs">The widest span from the first to the last lost acknowledged write of one run.</param>
/// <param name="RtoMedianMs">Median RTO over the runs that measured one (availability checker).</param>
/// <param name="RtoWorstMs">Largest RTO of one run.</param>
/// <param name="ConvergenceMedianMs">Median time from the last heal to convergence (convergence checker).</param>
/// <param name="ConvergenceWorstMs">Largest time to converge of one run.</param>
public sealed record SignoffModeFigures(
    string Mode,
    int Runs,
    long? WorstLostWrites,
    double? WidestLossWindowMs,
    double? RtoMedianMs,
    double? RtoWorstMs,
    double? ConvergenceMedianMs,
    double? ConvergenceWorstMs);
