using System.Collections.Immutable;

namespace ChaosPg.Core.Histories;

/// <summary>A fault or action with its start and end paired; an event never ended lasts to the end of the history.</summary>
public sealed record RecordedEvent(
    long Id,
    EventKind Kind,
    string Target,
    ImmutableDictionary<string, string> Parameters,
    long StartMicros,
    long? EndMicros,
    bool? Ok,
    string? Error)
{
    /// <summary>True when the event had started and not yet ended at <paramref name="atMicros"/>.</summary>
    public bool IsActiveAt(long atMicros) => StartMicros <= atMicros && (EndMicros is null || atMicros < EndMicros);

    /// <summary>True when the target is the node itself or a link into it ("client->node", "replica1->node").</summary>
    public bool Touches(string node) =>
        string.Equals(Target, node, StringComparison.Ordinal)
        || (Target.Length > node.Length + 2
            && Target.EndsWith(node, StringComparison.Ordinal)
            && Target.AsSpan(0, Target.Length - node.Length).EndsWith("->", StringComparison.Ordinal));
}
