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

    /// <summary>
    /// Extra runs a violating candidate must also violate in before it is accepted (0: none). A loss that depends on
    /// timing luck would otherwise make a smaller schedule the reproducer although it seldom fails again.
    /// </summary>
    public int Confirmations { get; init; }

    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>True when every deposed primary must rejoin (the convergence property), so candidates must keep that.</summary>
    public bool RequireAllNodesBack { get; init; }
}
