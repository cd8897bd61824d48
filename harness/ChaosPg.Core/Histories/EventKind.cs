using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>What a history event did: a fault on a node or link, or an operator action.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<EventKind>))]
public enum EventKind
{
    Partition,
    Blackhole,
    Latency,
    Bandwidth,
    Reset,
    Kill,
    Pause,
    Restart,
    Promote,
    Rejoin,
    Fence,
    Heal,
    WaitConverged,
    Converged,
    TerminateBackends,
    Isolate,

    /// <summary>An HA manager's decision as the harness observed it (leader changed, lock lost, demoted, ...): recorded, not done.</summary>
    RoleChange,

    /// <summary>Packets on a link dropped with a probability (kernel network mode).</summary>
    Loss,

    /// <summary>A planned switchover the scenario asked the HA manager for.</summary>
    Switchover,

    /// <summary>A manual failover the scenario asked the HA manager for.</summary>
    Failover,

    /// <summary>The HA manager's maintenance mode turned on or off.</summary>
    Maintenance,
}
