namespace ChaosPg.Cluster.Providers;

/// <summary>One thing an axis found on this machine (with its version) or did not find (with the fix).</summary>
/// <param name="Status">Whether it is there, and whether its absence matters.</param>
/// <param name="Text">What was found, e.g. "postgresql 15.14 in /usr/lib/postgresql/15/bin"; may span lines.</param>
public sealed record AxisFinding(FindingStatus Status, string Text)
{
    public static AxisFinding Ok(string text) => new(FindingStatus.Ok, text);

    public static AxisFinding Missing(string text) => new(FindingStatus.Missing, text);

    public static AxisFinding Absent(string text) => new(FindingStatus.Absent, text);
}
