namespace ChaosPg.Core.Schedule;

/// <summary>Limits a link to <see cref="RateKilobytesPerSecond"/> KB/s in both directions.</summary>
public sealed record BandwidthFault(TimeSpan At, Link Link, int RateKilobytesPerSecond, TimeSpan? For = null)
    : FaultStep(At, new LinkTarget(Link), For)
{
    public override string Keyword => "bandwidth";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
