namespace ChaosPg.Core.Schedule;

/// <summary>An operator action: promote, rejoin, heal or wait-converged.</summary>
public abstract record ActionStep(TimeSpan At) : ScheduleStep(At);
