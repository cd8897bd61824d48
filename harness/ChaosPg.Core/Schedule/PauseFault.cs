namespace ChaosPg.Core.Schedule;

/// <summary>Stops a node with SIGSTOP; removing the fault (its for elapsed, or heal) resumes it with SIGCONT.</summary>
public sealed record PauseFault(TimeSpan At, string Node, TimeSpan? For = null) : FaultStep(At, new NodeTarget(Node), For)
{
    public override string Keyword => "pause";

    public override bool IsLasting => true;

    public override bool IsNetwork => false;
}
