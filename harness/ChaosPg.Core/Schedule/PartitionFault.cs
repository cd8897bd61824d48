namespace ChaosPg.Core.Schedule;

/// <summary>Takes a link (or every link of a node) down: connections are refused and open ones closed.</summary>
public sealed record PartitionFault(TimeSpan At, FaultTarget Target, TimeSpan? For = null) : FaultStep(At, Target, For)
{
    public override string Keyword => "partition";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;
}
