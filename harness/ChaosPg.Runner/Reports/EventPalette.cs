using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// The colour of an event in every chart: network faults amber, process faults red, operator actions blue, healing
/// green, and an HA manager's decisions (its promotions and role changes, observed, not done) violet.
/// </summary>
internal static class EventPalette
{
    public const string Network = "#d97706";
    public const string Process = "#dc2626";
    public const string Action = "#2563eb";
    public const string Healing = "#16a34a";
    public const string Manager = "#7c3aed";

    public static string ColorOf(EventKind kind) => kind switch
    {
        EventKind.Partition or EventKind.Blackhole or EventKind.Isolate or EventKind.Latency or EventKind.Bandwidth or EventKind.Reset or EventKind.Loss => Network,
        EventKind.Kill or EventKind.Pause or EventKind.Restart or EventKind.TerminateBackends => Process,
        EventKind.Promote or EventKind.Rejoin or EventKind.Fence or EventKind.RoleChange or EventKind.Switchover or EventKind.Failover or EventKind.Maintenance => Action,
        _ => Healing,
    };

    /// <summary>The colour of one event: a manager's decision is told apart from the harness's own events of its kind.</summary>
    public static string ColorOf(RecordedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return ManagerEventParameters.IsManagerDecision(e) ? Manager : ColorOf(e.Kind);
    }

    /// <summary>True for faults and actions, the events worth shading behind throughput and lag.</summary>
    public static bool IsShaded(EventKind kind) => ColorOf(kind) != Healing;

    public static string Label(RecordedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var parameters = e.Parameters.IsEmpty
            ? string.Empty
            : " (" + string.Join(", ", e.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)) + ")";
        return $"{Html.Word(e.Kind)} {e.Target}{parameters}";
    }
}
