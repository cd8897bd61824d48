namespace ChaosPg.Runner.Exploration;

/// <summary>
/// How often the generator picks each kind of move when it is possible (0 never). <see cref="WalLatency"/> is a
/// latency of at least 200 ms on a WAL link, on top of the latencies <see cref="Network"/> already draws;
/// <see cref="Failover"/> is a kill of the primary followed by a promote.
/// </summary>
public sealed record ScheduleWeights(int Network, int WalLatency, int Kill, int Pause, int Restart, int Failover, int Rejoin, int Heal)
{
    /// <summary>Every move about equally likely.</summary>
    public static ScheduleWeights Uniform { get; } = new(Network: 4, WalLatency: 1, Kill: 2, Pause: 2, Restart: 1, Failover: 2, Rejoin: 3, Heal: 1);

    /// <summary>Mostly slowed WAL links and failovers: finds asynchronous-failover loss in a run or two.</summary>
    public static ScheduleWeights Failovers { get; } = new(Network: 1, WalLatency: 8, Kill: 1, Pause: 1, Restart: 1, Failover: 8, Rejoin: 2, Heal: 1);
}
