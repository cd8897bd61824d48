using System.Collections.Immutable;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>Everything one node's patroni.yml is made from (no password: those go through the environment).</summary>
/// <param name="Scope">The run's cluster name in the DCS.</param>
/// <param name="Node">Node name: Patroni's member name and the server's application_name.</param>
/// <param name="RestListen">Where its REST API listens (127.0.0.1, per-run port).</param>
/// <param name="RestConnect">How other members reach its REST API: its <c>api-&gt;node</c> link.</param>
/// <param name="PgListen">Where its PostgreSQL listens.</param>
/// <param name="PgConnect">How other members reach its PostgreSQL (replication, pg_rewind): its <c>peers-&gt;node</c> link.</param>
/// <param name="EtcdHosts">Its ways to the DCS: its <c>node-&gt;dcs</c> links, one per etcd member.</param>
/// <param name="DataDirectory">The server's data directory under the run.</param>
/// <param name="BinDirectory">The PostgreSQL bin directory.</param>
/// <param name="PassFile">Its own pgpass file (Patroni writes it; one per node, not one per OS user).</param>
/// <param name="StagedCopy">Where the harness stages a copy of the local backend's template for this node during bring-up: Patroni's bootstrap and replica method move it into the data directory.</param>
public sealed record PatroniNodeConfig(
    string Scope,
    string Node,
    LinkEndpoint RestListen,
    LinkEndpoint RestConnect,
    LinkEndpoint PgListen,
    LinkEndpoint PgConnect,
    ImmutableArray<LinkEndpoint> EtcdHosts,
    string DataDirectory,
    string BinDirectory,
    string PassFile,
    string StagedCopy);
