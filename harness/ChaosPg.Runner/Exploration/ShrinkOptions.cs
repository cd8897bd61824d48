namespace ChaosPg.Runner.Exploration;

/// <summary>
/// How hard the shrinker tries: each candidate runs up to <see cref="Tries"/> times and counts as failing when any
/// try violates the property (timing makes failures flaky); shrinking stops after <see cref="MaxRuns"/> runs or
/// <see cref="MaxTime"/>, keeping the smallest failing schedule found so far.
/// </summary>
public sealed record ShrinkOptions
{
    public int Tries { get; init; } = 2;

    public int MaxRuns { get; init; } = 30;

    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>True when every deposed primary must rejoin (the convergence property), so candidates must keep that.</summary>
    public bool RequireAllNodesBack { get; init; }
}
