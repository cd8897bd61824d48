namespace ChaosPg.Core.Schedule;

/// <summary>Promotes a replica to primary; the other replicas then stream from it and the old primary is deposed.</summary>
public sealed record PromoteAction(TimeSpan At, string Node) : ActionStep(At)
{
    public override string Keyword => "promote";
}
