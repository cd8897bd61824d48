namespace ChaosPg.Core.Schedule;

/// <summary>Runs pg_terminate_backend on a primary's client sessions that wait for synchronous replication.</summary>
public sealed record TerminateBackendsFault(TimeSpan At, string Node) : FaultStep(At, new NodeTarget(Node), null)
{
    public override string Keyword => "terminate-backends";

    public override bool IsLasting => false;

    public override bool IsNetwork => false;
}
