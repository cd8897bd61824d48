using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// The figures a release manager reads first, from a run's results.json alone: acknowledged and lost writes
/// (durability), RTO (availability) and time to converge after the last heal (convergence). Null where the checker did
/// not run or did not measure it (no failover, no heal).
/// </summary>
/// <param name="Acknowledged">Writes acknowledged to the client.</param>
/// <param name="Lost">Acknowledged writes missing from the final primary (the RPO in writes).</param>
/// <param name="RtoMs">Primary fault to the first write its successor acknowledged.</param>
/// <param name="ConvergenceMs">Last heal to every replica converged.</param>
internal sealed record KeyFigures(long? Acknowledged, long? Lost, double? RtoMs, double? ConvergenceMs)
{
    /// <summary>The column headings of the suite matrix, in the order <see cref="Cells"/> gives them.</summary>
    public static readonly IReadOnlyList<string> Headings = ["acknowledged", "lost", "RTO", "converged"];

    public static KeyFigures Of(LoadedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var suite = run.Results?.Suite;
        long? Count(string checker, string name) => suite?.Find(checker)?.Counts.TryGetValue(name, out var value) == true ? value : null;
        double? Figure(string checker, string name) => suite?.Find(checker)?.Figures.TryGetValue(name, out var value) == true ? value : null;
        return new KeyFigures(
            Count("durability", "acknowledged"),
            Count("durability", "lost"),
            Figure("availability", "rtoMs"),
            Figure("convergence", "convergenceMs"));
    }

    /// <summary>The four values as table cells' text: counts in full, times in seconds; "–" where there is none.</summary>
    public IReadOnlyList<string> Cells() =>
    [
        Acknowledged is { } acknowledged ? Html.Number(acknowledged) : "–",
        Lost is { } lost ? Html.Number(lost) : "–",
        RtoMs is { } rto ? Html.Number(rto / 1000, "0.00") + " s" : "–",
        ConvergenceMs is { } converged ? Html.Number(converged / 1000, "0.00") + " s" : "–",
    ];
}
