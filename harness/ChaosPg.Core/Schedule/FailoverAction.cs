namespace ChaosPg.Core.Schedule;

/// <summary>A manual failover through the HA manager to <see cref="Candidate"/>, with or without a leader.</summary>
public sealed record FailoverAction(TimeSpan At, string Candidate) : ActionStep(At)
{
    public override string Keyword => "failover";
}
