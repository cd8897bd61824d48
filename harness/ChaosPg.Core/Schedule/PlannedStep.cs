using System.Collections.Immutable;

namespace ChaosPg.Core.Schedule;

/// <summary>
/// A step with what the topology made of it: for a network fault the links it hits (a node target resolved to its
/// links at the time it applies); for promote and rejoin the WAL links the action creates; otherwise empty.
/// </summary>
public sealed record PlannedStep(int Index, ScheduleStep Step, ImmutableArray<Link> Links)
{
    public bool Equals(PlannedStep? other) =>
        other is not null && Index == other.Index && Step == other.Step && Links.SequenceEqual(other.Links);

    public override int GetHashCode() => HashCode.Combine(Index, Step, Links.Length);
}
