using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scheduling;

/// <summary>
/// One thing the executor did, with when it began and ended on the executor's clock. A lasting fault yields an Apply
/// event and later a Remove event; its history event spans from the Apply's start to the Remove's end.
/// </summary>
public sealed record ScheduleEvent(PlannedOperation Operation, PlannedStep Step, DateTimeOffset Began, DateTimeOffset Ended);
