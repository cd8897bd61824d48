namespace ChaosPg.Core.Schedule;

/// <summary>
/// Cuts a node off the cluster's network: every link to or from it goes silent, while the harness's own connections
/// to it stay. In containers it is a network disconnect (open connections hang; new ones fail, since the node's name
/// no longer resolves); local processes share the host's loopback, so there every link of the node is blackholed.
/// Removing the fault (its for elapsed, or heal) reconnects the node.
/// </summary>
public sealed record IsolateFault(TimeSpan At, string Node, TimeSpan? For = null) : FaultStep(At, new NodeTarget(Node), For)
{
    public override string Keyword => "isolate";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
