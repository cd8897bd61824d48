using System.Collections.Immutable;

namespace ChaosPg.Core.Histories;

/// <summary>A fault or action began on a target node or link.</summary>
/// <param name="EventId">Unique per run; pairs this line with its <see cref="EventEnded"/>.</param>
/// <param name="Target">A node name ("primary") or a link name ("replica1->primary"), or "cluster".</param>
/// <param name="Parameters">Kind-specific settings, e.g. latency "ms" = "200".</param>
public sealed record EventStarted(
    long AtMicros,
    long EventId,
    EventKind Kind,
    string Target,
    ImmutableDictionary<string, string>? Parameters = null) : HistoryLine(AtMicros);
