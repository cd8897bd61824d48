namespace ChaosPg.Runner.Exploration;

/// <summary>Why shrinking stopped.</summary>
public enum ShrinkStop
{
    /// <summary>No candidate of the final schedule failed: it is locally minimal.</summary>
    Minimal,

    /// <summary>The run or time budget ran out first: the schedule is the smallest failing one found, maybe not minimal.</summary>
    Budget,
}
