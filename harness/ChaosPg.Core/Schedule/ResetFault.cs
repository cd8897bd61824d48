namespace ChaosPg.Core.Schedule;

/// <summary>Resets the connections of a link (TCP RST) for as long as it lasts.</summary>
public sealed record ResetFault(TimeSpan At, Link Link, TimeSpan? For = null) : FaultStep(At, new LinkTarget(Link), For)
{
    public override string Keyword => "reset";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
