using System.Collections.Immutable;

namespace ChaosPg.Runner.Workloads;

/// <summary>One generated row: its write id and the domain values, in the order of the kind's insert columns.</summary>
public sealed record WorkloadRow(string WriteId, ImmutableArray<object> Values);
