namespace ChaosPg.Core.Schedule;

/// <summary>Drops each packet of a link with <see cref="Probability"/> (0 to 1, exclusive of 0), in <see cref="Direction"/>; TCP retransmits through it.</summary>
public sealed record LossFault(TimeSpan At, Link Link, double Probability, LatencyDirection Direction, TimeSpan? For = null)
    : FaultStep(At, new LinkTarget(Link), For)
{
    public override string Keyword => "loss";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
