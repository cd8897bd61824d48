namespace ChaosPg.Core.Schedule;

/// <summary>The mutable state of one node while <see cref="ScheduleSimulator"/> plays a schedule.</summary>
internal sealed class SimulatedNode(string name, NodeRole role, string? upstream)
{
    public string Name { get; } = name;

    public NodeRole Role { get; set; } = role;

    /// <summary>The node whose WAL this replica streams; null unless <see cref="Role"/> is Replica.</summary>
    public string? Upstream { get; set; } = upstream;

    /// <summary>The kill that took the node down, while it is down.</summary>
    public KillFault? KilledBy { get; set; }

    /// <summary>The pause that stopped the node, while it is stopped.</summary>
    public PauseFault? PausedBy { get; set; }

    public string Describe() => Role switch
    {
        NodeRole.Primary => "the primary",
        NodeRole.Replica => $"a replica streaming from {Upstream}",
        _ => "a deposed primary",
    };
}
