namespace ChaosPg.Core.Schedule;

/// <summary>Turns the HA manager's maintenance mode on (it neither fails over nor restarts anything) or off.</summary>
public sealed record MaintenanceAction(TimeSpan At, bool On) : ActionStep(At)
{
    public override string Keyword => "maintenance";
}
