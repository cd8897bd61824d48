using System.Globalization;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// The links a managed cluster adds to <c>client-&gt;node</c>: <c>peers-&gt;node</c> (every connection from another
/// node into this node's PostgreSQL: the WAL streams of its replicas, pg_basebackup, pg_rewind), <c>api-&gt;node</c>
/// (other members calling this node's Patroni REST API) and <c>node-&gt;dcs</c> (this node's Patroni to etcd;
/// <c>node-&gt;dcs1</c>..<c>dcs3</c> with three members).
/// </summary>
public static class PatroniLinkNames
{
    public static string Peers(string node) => $"peers->{node}";

    public static string Api(string node) => $"api->{node}";

    /// <summary>The link from <paramref name="node"/>'s Patroni to etcd member <paramref name="member"/> (1-based) of <paramref name="members"/>.</summary>
    public static string Dcs(string node, int member, int members) =>
        members == 1 ? $"{node}->dcs" : string.Create(CultureInfo.InvariantCulture, $"{node}->dcs{member}");
}
