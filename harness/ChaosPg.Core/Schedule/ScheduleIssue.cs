namespace ChaosPg.Core.Schedule;

/// <summary>Why a schedule cannot run: the step (0-based), the field of that step at fault, and what was expected.</summary>
public sealed record ScheduleIssue(int StepIndex, string Field, string Message);
