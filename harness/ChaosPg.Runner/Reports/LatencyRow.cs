namespace ChaosPg.Runner.Reports;

/// <summary>Latency percentiles (ms, nearest rank) of the operations of one kind and outcome.</summary>
internal sealed record LatencyRow(string Kind, string Outcome, int Count, double P50, double P95, double P99, double Max);
