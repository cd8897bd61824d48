namespace ChaosPg.Core.Checkers;

/// <summary>Combines verdicts: one invalid makes the whole invalid, else one unknown makes it unknown.</summary>
public static class VerdictMerge
{
    // The enum's numeric order is the merge order.
    public static Verdict Merge(Verdict left, Verdict right) => (Verdict)Math.Max((int)left, (int)right);

    public static Verdict Merge(IEnumerable<Verdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var merged = Verdict.Valid;
        foreach (var verdict in verdicts)
        {
            merged = Merge(merged, verdict);
        }

        return merged;
    }
}
