using System.Collections.Immutable;

namespace ChaosPg.Cluster.Links;

/// <summary>What <c>chaospg bench proxy</c> prints: pgbench select-only throughput and latency, direct and through each proxy.</summary>
/// <param name="PgVersion">PostgreSQL version of the node and of pgbench.</param>
/// <param name="Scale">pgbench scale factor.</param>
/// <param name="Clients">pgbench clients.</param>
/// <param name="Threads">pgbench threads.</param>
/// <param name="SecondsPerRun">Length of each run.</param>
/// <param name="Rounds">Rounds of interleaved runs.</param>
/// <param name="GoalRatio">The throughput ratio a proxy should reach against direct.</param>
/// <param name="InProcessInlineCompletions">DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS of this process, which the in-process proxy runs under.</param>
/// <param name="Modes">Direct first, then each proxy that could be started.</param>
public sealed record ProxyBenchFigures(
    string PgVersion,
    int Scale,
    int Clients,
    int Threads,
    double SecondsPerRun,
    int Rounds,
    double GoalRatio,
    string? InProcessInlineCompletions,
    ImmutableArray<ProxyModeFigures> Modes);
