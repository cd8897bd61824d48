namespace ChaosPg.Core.Schedule;

/// <summary>Rewinds a deposed primary with pg_rewind and starts it as a replica of the current primary.</summary>
public sealed record RejoinAction(TimeSpan At, string Node) : ActionStep(At)
{
    public override string Keyword => "rejoin";
}
