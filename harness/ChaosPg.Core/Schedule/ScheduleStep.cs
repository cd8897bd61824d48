namespace ChaosPg.Core.Schedule;

/// <summary>One step of a fault schedule, starting <see cref="At"/> after the workload starts.</summary>
public abstract record ScheduleStep(TimeSpan At)
{
    /// <summary>The word that names this step in a scenario file (<c>partition</c>, <c>promote</c>...).</summary>
    public abstract string Keyword { get; }
}
