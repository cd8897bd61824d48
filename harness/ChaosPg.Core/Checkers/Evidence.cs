using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>One anomaly a checker found, placed in time and in the fault schedule.</summary>
/// <param name="Id">What the item is about: a write id, "op:123", or a node name.</param>
/// <param name="What">One line saying what is wrong.</param>
/// <param name="AtMicros">The instant that matters (e.g. when a lost write was acknowledged).</param>
/// <param name="LatestEvent">The latest event that started at or before <paramref name="AtMicros"/>.</param>
/// <param name="ActiveEvents">The events active at <paramref name="AtMicros"/>.</param>
/// <param name="Notices">Server notices received by the operation.</param>
/// <param name="Details">Checker-specific facts (seq, commit LSN, cause, counts...).</param>
public sealed record Evidence(
    string Id,
    string What,
    string? Node,
    string? Client,
    long? InvokeMicros,
    long? AtMicros,
    EventRef? LatestEvent,
    ImmutableArray<EventRef> ActiveEvents,
    ImmutableArray<ServerNotice> Notices,
    ImmutableSortedDictionary<string, string> Details)
{
    /// <summary>Evidence about an operation, placed in the event window of <paramref name="atMicros"/>.</summary>
    public static Evidence ForOperation(
        History history,
        Operation operation,
        long atMicros,
        string id,
        string what,
        ImmutableSortedDictionary<string, string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(operation);
        var window = history.WindowAt(atMicros);
        return new Evidence(
            id,
            what,
            operation.Node,
            operation.Client,
            operation.InvokeMicros,
            atMicros,
            window.LatestStarted is null ? null : EventRef.From(window.LatestStarted),
            [.. window.Active.Select(EventRef.From)],
            operation.Notices,
            details ?? ImmutableSortedDictionary<string, string>.Empty);
    }

    /// <summary>Evidence about a node or a row that no operation explains.</summary>
    public static Evidence ForNode(
        History history,
        string id,
        string node,
        long? atMicros,
        string what,
        ImmutableSortedDictionary<string, string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var window = atMicros is { } at ? history.WindowAt(at) : null;
        return new Evidence(
            id,
            what,
            node,
            null,
            null,
            atMicros,
            window?.LatestStarted is null ? null : EventRef.From(window.LatestStarted),
            window is null ? [] : [.. window.Active.Select(EventRef.From)],
            [],
            details ?? ImmutableSortedDictionary<string, string>.Empty);
    }
}
