namespace ChaosPg.Core.Schedule;

/// <summary>Stops a node (fast shutdown) and starts it again.</summary>
public sealed record RestartFault(TimeSpan At, string Node) : FaultStep(At, new NodeTarget(Node), null)
{
    public override string Keyword => "restart";

    public override bool IsLasting => false;

    public override bool IsNetwork => false;
}
