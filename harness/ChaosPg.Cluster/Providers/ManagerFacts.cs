using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>What run.json records of a run's HA manager.</summary>
/// <param name="Name">The manager: <c>patroni</c>, <c>repmgr</c>, <c>pg_auto_failover</c>.</param>
/// <param name="Versions">Each program's reported version, by program (<c>patroni</c>: <c>3.0.2</c>, <c>etcd</c>: <c>3.4.23</c>).</param>
/// <param name="Settings">The settings the manager runs with, by the scenario's key names (ttl, loop-wait, synchronous-mode...).</param>
public sealed record ManagerFacts(string Name, ImmutableSortedDictionary<string, string> Versions, ImmutableSortedDictionary<string, string> Settings);
