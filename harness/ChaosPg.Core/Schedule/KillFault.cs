namespace ChaosPg.Core.Schedule;

/// <summary>Kills a node's postmaster with SIGKILL; removing the fault (its for elapsed) starts the node again.</summary>
public sealed record KillFault(TimeSpan At, string Node, TimeSpan? For = null) : FaultStep(At, new NodeTarget(Node), For)
{
    public override string Keyword => "kill";

    public override bool IsLasting => true;

    public override bool IsNetwork => false;
}
