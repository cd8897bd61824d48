namespace ChaosPg.Core.Schedule;

/// <summary>Waits until every running replica has replayed the current primary's WAL, or until the deadline passes.</summary>
public sealed record WaitConvergedAction(TimeSpan At, TimeSpan Deadline) : ActionStep(At)
{
    public override string Keyword => "wait-converged";
}
