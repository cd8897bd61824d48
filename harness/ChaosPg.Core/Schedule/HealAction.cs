namespace ChaosPg.Core.Schedule;

/// <summary>Removes every network fault and resumes every paused node; killed nodes stay down.</summary>
public sealed record HealAction(TimeSpan At) : ActionStep(At)
{
    public override string Keyword => "heal";
}
