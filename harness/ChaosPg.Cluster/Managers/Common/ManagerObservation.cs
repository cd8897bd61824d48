using System.Collections.Immutable;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>
/// One poll of a managed cluster: the manager's view (null when it did not answer) and each node's own PostgreSQL
/// (a node missing from <see cref="Servers"/> did not answer: killed, paused, cut off).
/// </summary>
public sealed record ManagerObservation(DateTimeOffset At, ManagerView? Cluster, ImmutableDictionary<string, ServerObservation> Servers)
{
    /// <summary>
    /// This observation with what it could not see filled in from <paramref name="last"/>: a node that did not answer
    /// keeps its last known state, so a server that was primary, went silent and came back as a replica shows as demoted.
    /// </summary>
    public ManagerObservation CarryForward(ManagerObservation? last)
    {
        if (last is null)
        {
            return this;
        }

        var servers = Servers;
        foreach (var (node, server) in last.Servers)
        {
            if (!servers.ContainsKey(node))
            {
                servers = servers.Add(node, server);
            }
        }

        return this with { Cluster = Cluster ?? last.Cluster, Servers = servers };
    }

    /// <summary>Nodes whose PostgreSQL answered as a primary (not in recovery): more than one is a split brain (on a carried-forward observation, last known states count too).</summary>
    public ImmutableArray<string> WritableServers => [.. Servers.Where(s => !s.Value.InRecovery).Select(s => s.Key).Order(StringComparer.Ordinal)];
}
