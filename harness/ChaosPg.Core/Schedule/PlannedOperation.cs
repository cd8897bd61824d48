namespace ChaosPg.Core.Schedule;

/// <summary>What the executor does with a step at a point of the plan.</summary>
public enum PlannedOperation
{
    /// <summary>Apply a fault.</summary>
    Apply,

    /// <summary>Remove a lasting fault (its <c>for</c> elapsed, or a heal).</summary>
    Remove,

    /// <summary>Run an action.</summary>
    Run,
}
