using System.Collections.Immutable;

namespace ChaosPg.Cluster.Links;

/// <summary>pgbench figures of one way to reach the node: direct, or through one kind of proxy.</summary>
/// <param name="Mode"><c>direct</c>, <c>embedded-in-process</c>, <c>embedded-child-process</c> or <c>toxiproxy-server</c>.</param>
/// <param name="MedianTps">Median transactions per second over the rounds.</param>
/// <param name="MedianLatencyMs">Median of pgbench's per-run average latency.</param>
/// <param name="RatioToDirect">MedianTps over the direct median; null for direct.</param>
/// <param name="AddedLatencyMs">MedianLatencyMs minus the direct median; null for direct.</param>
/// <param name="Tps">Each round's TPS, in order.</param>
/// <param name="LatencyMs">Each round's average latency, in order.</param>
public sealed record ProxyModeFigures(
    string Mode,
    double MedianTps,
    double MedianLatencyMs,
    double? RatioToDirect,
    double? AddedLatencyMs,
    ImmutableArray<double> Tps,
    ImmutableArray<double> LatencyMs);
