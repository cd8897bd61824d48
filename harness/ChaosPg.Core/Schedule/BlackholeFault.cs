namespace ChaosPg.Core.Schedule;

/// <summary>Lets connections on a link (or every link of a node) stay open while nothing passes.</summary>
public sealed record BlackholeFault(TimeSpan At, FaultTarget Target, TimeSpan? For = null) : FaultStep(At, Target, For)
{
    public override string Keyword => "blackhole";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
