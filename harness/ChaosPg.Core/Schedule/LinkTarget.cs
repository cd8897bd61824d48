namespace ChaosPg.Core.Schedule;

/// <summary>One link as a fault target.</summary>
public sealed record LinkTarget(Link Link) : FaultTarget
{
    public override string ToString() => Link.ToString();
}
