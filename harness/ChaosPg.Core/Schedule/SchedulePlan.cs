using System.Collections.Immutable;

namespace ChaosPg.Core.Schedule;

/// <summary>
/// A schedule played through the topology: the ordered entries an executor performs (removals due at the same time
/// as a step come before it; a heal's removals come before the heal), and every issue found on the way.
/// </summary>
public sealed record SchedulePlan(ImmutableArray<PlannedEntry> Entries, ImmutableArray<ScheduleIssue> Issues)
{
    public bool IsValid => Issues.IsEmpty;
}
