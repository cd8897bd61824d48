namespace ChaosPg.Core.Schedule;

/// <summary>A node as a fault target; for network faults it stands for every link of the node.</summary>
public sealed record NodeTarget(string Node) : FaultTarget
{
    public override string ToString() => Node;
}
