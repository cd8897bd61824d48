namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// The links a repmgr cluster adds to <c>client-&gt;node</c>: <c>peers-&gt;node</c> (every connection from another
/// node into this node's PostgreSQL: WAL streams, standby clone, pg_rewind, the other repmgrds' checks, the witness's
/// repmgrd), named as Patroni's are, and <c>node-&gt;witness</c> (this node's repmgr and repmgrd to the witness).
/// </summary>
public static class RepmgrLinkNames
{
    /// <summary>The schedule's name of the witness, as an auxiliary and as a link end.</summary>
    public const string WitnessName = "witness";

    /// <summary>Every connection from another node (or the witness) into <paramref name="node"/>'s PostgreSQL.</summary>
    public static string Peers(string node) => Patroni.PatroniLinkNames.Peers(node);

    /// <summary><paramref name="node"/>'s repmgr and repmgrd to the witness server.</summary>
    public static string Witness(string node) => $"{node}->{WitnessName}";
}
