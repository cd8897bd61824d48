namespace ChaosPg.Core.Schedule;

/// <summary>A planned switchover through the HA manager, from the leader to <see cref="Candidate"/> (null: the manager's choice).</summary>
public sealed record SwitchoverAction(TimeSpan At, string? Candidate = null) : ActionStep(At)
{
    public override string Keyword => "switchover";
}
