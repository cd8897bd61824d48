using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>A reference to a history event inside evidence: enough to place an item in the fault schedule.</summary>
public sealed record EventRef(long Id, EventKind Kind, string Target, long StartMicros, long? EndMicros)
{
    public static EventRef From(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new EventRef(recorded.Id, recorded.Kind, recorded.Target, recorded.StartMicros, recorded.EndMicros);
    }
}
