using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// The repmgr settings a scenario may choose (<c>cluster.manager: {name: repmgr, witness: true}</c>) and the timings
/// every node's repmgrd runs with. The timings are far shorter than repmgr's defaults (6 attempts 10 s apart, a 2 s
/// monitor interval) so a failover takes seconds, as the prototype on this machine measured (about 2 s).
/// </summary>
public sealed record RepmgrSettings
{
    /// <summary>A witness server: a PostgreSQL instance outside the replication cluster whose repmgrd votes in elections.</summary>
    public bool Witness { get; init; }

    /// <summary>repmgrd's <c>reconnect_attempts</c>: how often it retries a silent primary before it fails over.</summary>
    public int ReconnectAttempts { get; init; } = 2;

    /// <summary>repmgrd's <c>reconnect_interval</c>: between two of those attempts.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>repmgrd's <c>monitor_interval_secs</c>: between two checks of the upstream.</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>These settings by the scenario's key names (and repmgr's own for the timings), for run.json.</summary>
    public ImmutableSortedDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["witness"] = Witness ? "true" : "false",
        ["failover"] = "automatic",
        ["reconnect_attempts"] = ReconnectAttempts.ToString(CultureInfo.InvariantCulture),
        ["reconnect_interval"] = Seconds(ReconnectInterval),
        ["monitor_interval_secs"] = Seconds(MonitorInterval),
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Throws <see cref="ClusterConfigurationException"/> naming what repmgr would refuse.</summary>
    public void Validate()
    {
        if (ReconnectAttempts < 1 || ReconnectInterval < TimeSpan.FromSeconds(1) || MonitorInterval < TimeSpan.FromSeconds(1))
        {
            throw new ClusterConfigurationException("repmgr reconnect_attempts must be at least 1, reconnect_interval and monitor_interval_secs at least 1s (repmgr counts whole seconds).");
        }
    }

    /// <summary>Whole seconds, as repmgr.conf takes them.</summary>
    internal static string Seconds(TimeSpan value) => ((int)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
