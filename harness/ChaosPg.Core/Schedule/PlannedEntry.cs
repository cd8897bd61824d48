namespace ChaosPg.Core.Schedule;

/// <summary>One thing to do <see cref="Due"/> after the workload starts.</summary>
public sealed record PlannedEntry(TimeSpan Due, PlannedOperation Operation, PlannedStep Step);
