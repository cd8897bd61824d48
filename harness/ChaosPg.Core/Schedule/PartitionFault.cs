namespace ChaosPg.Core.Schedule;

/// <summary>
/// Takes a link (or every link of a node) down. Through a proxy, connections are refused and open ones closed; in the
/// kernel network mode, packets are dropped in <see cref="Direction"/> (both unless a one-way partition is asked for),
/// so connections stay half-open.
/// </summary>
public sealed record PartitionFault(TimeSpan At, FaultTarget Target, TimeSpan? For = null) : FaultStep(At, Target, For)
{
    public override string Keyword => "partition";

    public override bool IsLasting => true;

    public override bool IsNetwork => true;

    /// <summary>Which half of each link is cut: upstream is towards the server, downstream back from it.</summary>
    public LatencyDirection Direction { get; init; } = LatencyDirection.Both;
}
