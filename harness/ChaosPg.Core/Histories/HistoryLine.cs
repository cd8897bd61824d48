using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>One JSON line of a history file; the "type" property says which kind.</summary>
/// <remarks>Times are microseconds since the run started, on the harness's monotonic clock.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RunStarted), "run")]
[JsonDerivedType(typeof(OperationInvoked), "invoke")]
[JsonDerivedType(typeof(OperationCompleted), "complete")]
[JsonDerivedType(typeof(EventStarted), "event-start")]
[JsonDerivedType(typeof(EventEnded), "event-end")]
public abstract record HistoryLine(long AtMicros);
