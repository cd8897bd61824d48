using System.Collections.Immutable;

namespace ChaosPg.Core.Histories;

/// <summary>Where an instant falls among the events: the latest event started before it and the events active at it.</summary>
public sealed record EventWindow(RecordedEvent? LatestStarted, ImmutableArray<RecordedEvent> Active);
