using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// The run-owned network of the kernel network mode: a bridge in namespace <c>cpg-&lt;run&gt;-br</c>, one namespace
/// <c>cpg-&lt;run&gt;-&lt;node&gt;</c> per node joined to it by a veth pair, and one veth from the root namespace
/// (where the harness and the workload run) into the bridge namespace. All addresses are in one private /24 chosen
/// per run. Each node has two addresses: its peer address, which its links use (clients and WAL streams), and an
/// admin address for the harness's own connections, which no rule ever matches. Pure: names and addresses only.
/// The Docker backend's kernel mode uses the same addresses for its containers (<see cref="InContainers"/>): the run's
/// Docker network is that /24, its gateway (the host) is <see cref="HostAddress"/>, each container's static address
/// on it is the node's peer address, and a node's "namespace" is its container's network namespace.
/// </summary>
public sealed record KernelTopology
{
    /// <summary>What every name of this mode starts with; the sweeper only ever touches names with it.</summary>
    public const string Prefix = "cpg-";

    /// <summary>The interface name prefix (interface names are at most 15 characters, so they carry no dash).</summary>
    public const string InterfacePrefix = "cpg";

    private KernelTopology(string runId, string subnetPrefix, ImmutableArray<string> nodes, bool inContainers)
    {
        RunId = runId;
        SubnetPrefix = subnetPrefix;
        Nodes = nodes;
        InContainers = inContainers;
    }

    /// <summary>
    /// True for the Docker backend's containers: there is no bridge namespace (the bridge is Docker's, in the root
    /// namespace, which the run never touches), no admin address on the run's network (the harness reaches each
    /// container over a second Docker network), and no namespace names (the rules' runner maps a node's namespace to
    /// its container).
    /// </summary>
    public bool InContainers { get; }

    /// <summary>8 lower-case hex digits, in every namespace and veth name of the run.</summary>
    public string RunId { get; }

    /// <summary>The first three octets of the run's /24, e.g. <c>10.213.7</c>.</summary>
    public string SubnetPrefix { get; }

    /// <summary>The nodes, in spec order (primary first); a node's index is its position here.</summary>
    public ImmutableArray<string> Nodes { get; }

    /// <summary>The run's /24, e.g. <c>10.213.7.0/24</c>.</summary>
    public string Subnet => SubnetPrefix + ".0/24";

    /// <summary>The namespace holding the bridge.</summary>
    public string BridgeNamespace => $"{Prefix}{RunId}-br";

    /// <summary>The bridge's name inside <see cref="BridgeNamespace"/>.</summary>
    public const string Bridge = "br0";

    /// <summary>A node's interface inside its own namespace.</summary>
    public const string NodeInterface = "eth0";

    /// <summary>The root namespace's end of the harness veth.</summary>
    public string HostInterface => $"{InterfacePrefix}{RunId}h";

    /// <summary>The bridge namespace's end of the harness veth.</summary>
    public string HostBridgePort => $"{InterfacePrefix}{RunId}hb";

    /// <summary>The root namespace's address: the source of every client and harness connection.</summary>
    public string HostAddress => SubnetPrefix + ".1";

    /// <summary>Makes the topology of run <paramref name="runId"/> in subnet <paramref name="subnetPrefix"/>.</summary>
    public static KernelTopology Create(string runId, string subnetPrefix, IEnumerable<string> nodes) => Create(runId, subnetPrefix, nodes, inContainers: false);

    /// <summary>The addresses of run <paramref name="runId"/>'s containers on a Docker network of subnet <paramref name="subnetPrefix"/>.</summary>
    public static KernelTopology ForContainers(string runId, string subnetPrefix, IEnumerable<string> nodes) => Create(runId, subnetPrefix, nodes, inContainers: true);

    private static KernelTopology Create(string runId, string subnetPrefix, IEnumerable<string> nodes, bool inContainers)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(subnetPrefix);
        ArgumentNullException.ThrowIfNull(nodes);
        if (runId.Length != 8 || !runId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            throw new ArgumentException($"run id '{runId}' must be 8 lower-case hex digits", nameof(runId));
        }

        var octets = subnetPrefix.Split('.');
        if (octets.Length != 3 || octets[0] != "10" || !octets.Skip(1).All(o => byte.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"subnet '{subnetPrefix}' must be 10.A.B", nameof(subnetPrefix));
        }

        var list = nodes.ToImmutableArray();
        if (list.Length is 0 or > 80)
        {
            throw new ArgumentException("a kernel topology has 1 to 80 nodes", nameof(nodes));
        }

        return new KernelTopology(runId, subnetPrefix, list, inContainers);
    }

    /// <summary>A new run id: 8 random hex digits.</summary>
    public static string NewRunId() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>The /24 a run id picks first (10.200.0 to 10.249.255), so concurrent runs rarely try the same one.</summary>
    public static string PreferredSubnet(string runId, int attempt = 0)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var value = (uint.Parse(runId, NumberStyles.HexNumber, CultureInfo.InvariantCulture) + (uint)attempt * 7919u) % (50u * 256u);
        return string.Create(CultureInfo.InvariantCulture, $"10.{200 + (value / 256)}.{value % 256}");
    }

    /// <summary>The namespace of <paramref name="node"/>.</summary>
    public string NamespaceOf(string node) => $"{Prefix}{RunId}-{Require(node)}";

    /// <summary>The address peers and clients reach <paramref name="node"/> at; its links' rules match it.</summary>
    public string PeerAddress(string node) => $"{SubnetPrefix}.{10 + Index(node)}";

    /// <summary>The address the harness's own connections (status, promote, convergence, pg_rewind) use; never faulted.</summary>
    public string AdminAddress(string node) => $"{SubnetPrefix}.{100 + Index(node)}";

    /// <summary>The bridge namespace's end of <paramref name="node"/>'s veth.</summary>
    public string BridgePortOf(string node) => $"{InterfacePrefix}{RunId}b{Index(node)}";

    /// <summary>The address a link's traffic comes from: the host for <c>client</c>, else the node's peer address.</summary>
    public string SourceAddress(string party) => party == "client" ? HostAddress : PeerAddress(party);

    /// <summary>Every namespace of the run, nodes first and the bridge last (the order they are deleted in).</summary>
    public ImmutableArray<string> Namespaces => [.. Nodes.Select(NamespaceOf), BridgeNamespace];

    /// <summary>The position of <paramref name="node"/> in <see cref="Nodes"/>.</summary>
    public int Index(string node)
    {
        var index = Nodes.IndexOf(node);
        return index >= 0 ? index : throw new KeyNotFoundException($"no node named {node}; nodes are {string.Join(", ", Nodes)}");
    }

    private string Require(string node)
    {
        Index(node);
        return node;
    }
}
