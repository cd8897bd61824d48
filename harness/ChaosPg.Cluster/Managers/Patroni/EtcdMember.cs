namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>One member of a run's etcd: its name, where it serves clients and peers, and its data directory.</summary>
/// <param name="Name">Member name: etcd1, etcd2, ...</param>
/// <param name="Client">The client URL's endpoint (127.0.0.1, a per-run port).</param>
/// <param name="Peer">The peer URL's endpoint (127.0.0.1, a per-run port).</param>
/// <param name="DataDirectory">Its data directory under the run's work directory.</param>
public sealed record EtcdMember(string Name, LinkEndpoint Client, LinkEndpoint Peer, string DataDirectory)
{
    public string ClientUrl => $"http://{Client.Host}:{Client.Port}";

    public string PeerUrl => $"http://{Peer.Host}:{Peer.Port}";
}
