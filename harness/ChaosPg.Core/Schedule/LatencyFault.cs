namespace ChaosPg.Core.Schedule;

/// <summary>Delays data on a link by <see cref="Latency"/> give or take <see cref="Jitter"/>.</summary>
public sealed record LatencyFault(
    TimeSpan At,
    Link Link,
    TimeSpan Latency,
    TimeSpan Jitter,
    LatencyDirection Direction,
    TimeSpan? For = null) : FaultStep(At, new LinkTarget(Link), For)
{
    public override string Keyword => "latency";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
