namespace ChaosPg.Cluster.Managers.Common;

/// <summary>One member as the manager lists it (Patroni's REST <c>/cluster</c>, repmgr's nodes, pg_auto_failover's monitor).</summary>
/// <param name="Name">Member (node) name.</param>
/// <param name="Role">The manager's word for its role: Patroni's <c>leader</c>, <c>sync_standby</c>, <c>replica</c>; repmgr's <c>primary</c>, <c>standby</c>; pg_auto_failover's states.</param>
/// <param name="State">What the manager reports of it: <c>running</c> (Patroni 3.0.2 says so for a streaming replica too), <c>stopped</c>, <c>starting</c>, ...</param>
/// <param name="Timeline">The timeline it reports, when it does.</param>
/// <param name="LagBytes">Bytes behind the leader (replicas), null when the manager does not say or for the leader.</param>
/// <param name="IsLeader">True for the member the manager holds as leader (the one clients should write to).</param>
public sealed record ManagerMember(string Name, string Role, string State, int? Timeline, long? LagBytes, bool IsLeader);
