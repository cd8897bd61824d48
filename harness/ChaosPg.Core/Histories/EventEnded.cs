namespace ChaosPg.Core.Histories;

/// <summary>A fault was removed or an action finished. A fault's effect lasts from its start to its end.</summary>
/// <param name="Ok">False when the action failed (e.g. promotion timed out).</param>
public sealed record EventEnded(long AtMicros, long EventId, bool Ok = true, string? Error = null) : HistoryLine(AtMicros);
