namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>One member as Patroni's REST <c>/cluster</c> lists it.</summary>
/// <param name="Name">Member (node) name.</param>
/// <param name="Role"><c>leader</c>, <c>sync_standby</c>, <c>replica</c> or <c>standby_leader</c>.</param>
/// <param name="State">What Patroni reports: <c>running</c> (3.0.2 says so for a streaming replica too), <c>stopped</c>, <c>starting</c>, ...</param>
/// <param name="Timeline">The timeline it reports, when it does.</param>
/// <param name="LagBytes">Bytes behind the leader (replicas), null when Patroni says <c>unknown</c> or for the leader.</param>
public sealed record PatroniMember(string Name, string Role, string State, int? Timeline, long? LagBytes)
{
    public bool IsLeader => Role is "leader" or "standby_leader";
}
