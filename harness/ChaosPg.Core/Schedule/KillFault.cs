namespace ChaosPg.Core.Schedule;

/// <summary>
/// Kills a node's postmaster with SIGKILL; removing the fault (its for elapsed) starts the node again. In a managed
/// cluster <see cref="Process"/> says what dies, and <see cref="FaultStep.Target"/> may be a role (<c>leader</c>,
/// <c>replica</c>) or one of the manager's own processes (<c>dcs1</c>).
/// </summary>
public sealed record KillFault(TimeSpan At, string Node, TimeSpan? For = null) : FaultStep(At, new NodeTarget(Node), For)
{
    public override string Keyword => "kill";

    public override bool IsLasting => true;

    public override bool IsNetwork => false;

    /// <summary>What is killed on a managed node; null when the scenario does not say (the server).</summary>
    public NodeProcess? Process { get; init; }
}
