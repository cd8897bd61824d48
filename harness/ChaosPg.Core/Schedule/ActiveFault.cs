namespace ChaosPg.Core.Schedule;

/// <summary>A lasting fault that <see cref="ScheduleSimulator"/> has applied and not yet removed.</summary>
internal sealed record ActiveFault(PlannedStep Planned, TimeSpan? End)
{
    public FaultStep Fault => (FaultStep)Planned.Step;

    public string Describe() =>
        $"the {Fault.Keyword} on {Fault.Target} at {DurationText.Show(Fault.At)} "
        + (End is { } end ? $"(until {DurationText.Show(end)})" : "(until the next heal)");
}
