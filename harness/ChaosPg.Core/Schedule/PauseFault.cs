namespace ChaosPg.Core.Schedule;

/// <summary>
/// Stops a node with SIGSTOP; removing the fault (its for elapsed, or heal) resumes it with SIGCONT. In a managed
/// cluster <see cref="Process"/> says what stops, and the target may be a role or one of the manager's own processes.
/// </summary>
public sealed record PauseFault(TimeSpan At, string Node, TimeSpan? For = null) : FaultStep(At, new NodeTarget(Node), For)
{
    public override string Keyword => "pause";

    public override bool IsLasting => true;

    public override bool IsNetwork => false;

    /// <summary>What is stopped on a managed node; null when the scenario does not say (the server).</summary>
    public NodeProcess? Process { get; init; }
}
