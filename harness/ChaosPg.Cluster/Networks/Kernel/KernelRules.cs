using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Links;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// The iptables and tc commands each link fault is made of, a pure function of fault, link and topology. For a link
/// <c>from-&gt;to</c> every rule lives in a run-owned namespace, never the root's: packet filters in <c>to</c>'s
/// namespace (INPUT for the upstream half, from towards the server; OUTPUT for the downstream half, back from it),
/// matched on the pair of addresses, so the harness's admin connections (to the admin address) never match.
/// Shaping (tbf, netem) sits on the egress of the half it slows: <c>to</c>'s interface downstream, the bridge's port
/// towards <c>to</c> upstream, each behind an htb class with a u32 filter on the other end's address. Every rule
/// carries the comment <c>chaospg:&lt;kind&gt;:&lt;link&gt;</c>, so removal deletes exactly what the apply added.
/// In containers (<see cref="KernelTopology.InContainers"/>) the filters are the same, in <c>to</c>'s container; there
/// is no bridge of the run to shape on, so the upstream half is shaped in <c>to</c>'s container too: its interface's
/// ingress is redirected (tc mirred) to an ifb device there, <see cref="IngressDevice"/>, and shaped on that
/// device's egress as on a bridge port. Every rule of a link then lives in <c>to</c>'s container, the client's
/// links' included (their sender is the host, whose interfaces a run never touches).
/// </summary>
public static class KernelRules
{
    /// <summary>The ifb device in a container that its interface's ingress is redirected to, for upstream shaping.</summary>
    public const string IngressDevice = "cpgifb";

    private const string Iptables = "iptables";

    /// <summary>How each kind is applied, for the history's <c>method</c>.</summary>
    public static string Mechanism(LinkFaultKind kind) => kind switch
    {
        LinkFaultKind.Partition or LinkFaultKind.Blackhole => "iptables-drop",
        LinkFaultKind.ResetPeer => "iptables-reject-tcp-reset",
        LinkFaultKind.Loss => "iptables-statistic-drop",
        LinkFaultKind.Bandwidth => "tc-tbf",
        LinkFaultKind.Latency => "tc-netem",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a link fault"),
    };

    /// <summary>
    /// The commands that apply a packet-filter fault (partition, blackhole, reset, loss) to <paramref name="link"/>;
    /// <paramref name="probability"/> is loss's share of packets dropped, above 0 and below 1.
    /// </summary>
    public static ImmutableArray<KernelCommand> Filter(KernelTopology topology, string link, LinkFaultKind kind, LinkDirection direction, double probability = 0) =>
        FilterRules(topology, link, kind, direction, probability, "-A");

    /// <summary>The commands that remove what <see cref="Filter"/> added (each may find its rule gone already).</summary>
    public static ImmutableArray<KernelCommand> RemoveFilter(KernelTopology topology, string link, LinkFaultKind kind, LinkDirection direction, double probability = 0) =>
        FilterRules(topology, link, kind, direction, probability, "-D");

    /// <summary>The commands that shape <paramref name="link"/>: tbf at <paramref name="kilobytesPerSecond"/> for bandwidth, netem for latency.</summary>
    public static ImmutableArray<KernelCommand> Shape(KernelTopology topology, string link, LinkFaultKind kind, LinkDirection direction, int kilobytesPerSecond = 0, TimeSpan latency = default, TimeSpan jitter = default)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var leaf = kind switch
        {
            LinkFaultKind.Bandwidth when kilobytesPerSecond > 0 => Tbf(kilobytesPerSecond),
            LinkFaultKind.Bandwidth => throw new ArgumentOutOfRangeException(nameof(kilobytesPerSecond), kilobytesPerSecond, "a bandwidth is positive"),
            LinkFaultKind.Latency => Netem(latency, jitter),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "only bandwidth and latency are shaped"),
        };
        var commands = ImmutableArray.CreateBuilder<KernelCommand>();
        foreach (var (ns, device, match, address) in ShapedHalves(topology, link, direction))
        {
            if (device == IngressDevice)
            {
                // Shared by every upstream-shaped link of the container, as the htb root below: made (or found) here,
                // removed by heal. The u32 filter has a fixed handle, so replacing it twice leaves one.
                commands.Add(new KernelCommand(ns, ["ip", "link", "add", IngressDevice, "type", "ifb"], MayFail: true));
                commands.Add(new KernelCommand(ns, ["ip", "link", "set", IngressDevice, "up"]));
                commands.Add(Tc(ns, true, "qdisc", "add", "dev", KernelTopology.NodeInterface, "handle", "ffff:", "ingress"));
                commands.Add(Tc(ns, false, "filter", "replace", "dev", KernelTopology.NodeInterface, "parent", "ffff:", "protocol", "ip", "prio", "1", "handle", "800::800", "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", IngressDevice));
            }

            var minor = ClassMinor(topology, link, kind);
            var classId = $"1:{minor:x}";
            // The root htb and its default class are shared by every shaped link of the device: added by the
            // first one, already there for the next (so these two may fail), removed only by heal.
            commands.Add(Tc(ns, true, "qdisc", "add", "dev", device, "root", "handle", "1:", "htb", "default", "1"));
            commands.Add(Tc(ns, true, "class", "add", "dev", device, "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit"));
            commands.Add(Tc(ns, false, "class", "replace", "dev", device, "parent", "1:", "classid", classId, "htb", "rate", "10gbit"));
            commands.Add(Tc(ns, false, ["qdisc", "replace", "dev", device, "parent", classId, "handle", $"{minor:x}:", .. leaf]));
            commands.Add(Tc(ns, false, "filter", "replace", "dev", device, "parent", "1:", "protocol", "ip", "prio", Number(minor), "u32", "match", "ip", match, address + "/32", "flowid", classId));
        }

        return commands.ToImmutable();
    }

    /// <summary>The commands that remove what <see cref="Shape"/> added: the filter, then the class and its leaf.</summary>
    public static ImmutableArray<KernelCommand> RemoveShape(KernelTopology topology, string link, LinkFaultKind kind, LinkDirection direction)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var commands = ImmutableArray.CreateBuilder<KernelCommand>();
        foreach (var (ns, device, _, _) in ShapedHalves(topology, link, direction))
        {
            var minor = ClassMinor(topology, link, kind);
            commands.Add(Tc(ns, true, "filter", "del", "dev", device, "parent", "1:", "protocol", "ip", "prio", Number(minor)));
            commands.Add(Tc(ns, true, "qdisc", "del", "dev", device, "parent", $"1:{minor:x}", "handle", $"{minor:x}:"));
            commands.Add(Tc(ns, true, "class", "del", "dev", device, "classid", $"1:{minor:x}"));
        }

        return commands.ToImmutable();
    }

    /// <summary>Heal: flushes every node namespace's filters and removes every shaping root the run may have added.</summary>
    public static ImmutableArray<KernelCommand> Heal(KernelTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var commands = ImmutableArray.CreateBuilder<KernelCommand>();
        foreach (var node in topology.Nodes)
        {
            var ns = topology.NamespaceOf(node);
            commands.Add(new KernelCommand(ns, [Iptables, "-w", "-F", "INPUT"]));
            commands.Add(new KernelCommand(ns, [Iptables, "-w", "-F", "OUTPUT"]));
            commands.Add(Tc(ns, true, "qdisc", "del", "dev", KernelTopology.NodeInterface, "root"));
            if (topology.InContainers)
            {
                // The ifb device takes its shaping root with it.
                commands.Add(Tc(ns, true, "qdisc", "del", "dev", KernelTopology.NodeInterface, "ingress"));
                commands.Add(new KernelCommand(ns, ["ip", "link", "del", IngressDevice], MayFail: true));
            }
            else
            {
                commands.Add(Tc(topology.BridgeNamespace, true, "qdisc", "del", "dev", topology.BridgePortOf(node), "root"));
            }
        }

        return commands.ToImmutable();
    }

    /// <summary>The two ends of a link: who sends (<c>client</c> or a node) and the node it connects to.</summary>
    public static (string From, string To) Ends(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var arrow = link.IndexOf("->", StringComparison.Ordinal);
        return arrow > 0 && arrow + 2 < link.Length
            ? (link[..arrow], link[(arrow + 2)..])
            : throw new ArgumentException($"'{link}' is not a link; expected FROM->TO such as replica1->primary", nameof(link));
    }

    private static ImmutableArray<KernelCommand> FilterRules(KernelTopology topology, string link, LinkFaultKind kind, LinkDirection direction, double probability, string operation)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var (from, to) = Ends(link);
        var ns = topology.NamespaceOf(to);
        var source = topology.SourceAddress(from);
        var server = topology.PeerAddress(to);
        ImmutableArray<string> target = kind switch
        {
            LinkFaultKind.Partition or LinkFaultKind.Blackhole => ["-j", "DROP"],
            LinkFaultKind.ResetPeer => ["-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset"],
            LinkFaultKind.Loss when probability is > 0 and < 1 => ["-m", "statistic", "--mode", "random", "--probability", probability.ToString("0.#####", CultureInfo.InvariantCulture), "-j", "DROP"],
            LinkFaultKind.Loss => throw new ArgumentOutOfRangeException(nameof(probability), probability, "a loss probability is above 0 and below 1"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a packet-filter fault"),
        };
        // A blackhole and a reset act on both halves whatever is asked: that is what they are.
        var halves = kind is LinkFaultKind.Blackhole or LinkFaultKind.ResetPeer ? LinkDirection.Both : direction;
        var commands = ImmutableArray.CreateBuilder<KernelCommand>();
        var comment = new[] { "-m", "comment", "--comment", $"chaospg:{Word(kind)}:{link}" };
        var mayFail = operation == "-D";
        if (halves is LinkDirection.Both or LinkDirection.Upstream)
        {
            commands.Add(new KernelCommand(ns, [Iptables, "-w", operation, "INPUT", "-s", source, "-d", server, .. comment, .. target], mayFail));
        }

        if (halves is LinkDirection.Both or LinkDirection.Downstream)
        {
            commands.Add(new KernelCommand(ns, [Iptables, "-w", operation, "OUTPUT", "-s", server, "-d", source, .. comment, .. target], mayFail));
        }

        return commands.ToImmutable();
    }

    // Downstream (from the server back to the sender) leaves the server's own interface; upstream leaves the bridge's
    // port towards the server, or in containers the server's ifb device. Each is matched on the sender's address.
    private static IEnumerable<(string Namespace, string Device, string Match, string Address)> ShapedHalves(KernelTopology topology, string link, LinkDirection direction)
    {
        var (from, to) = Ends(link);
        var source = topology.SourceAddress(from);
        if (direction is LinkDirection.Both or LinkDirection.Downstream)
        {
            yield return (topology.NamespaceOf(to), KernelTopology.NodeInterface, "dst", source);
        }

        if (direction is LinkDirection.Both or LinkDirection.Upstream)
        {
            yield return topology.InContainers
                ? (topology.NamespaceOf(to), IngressDevice, "src", source)
                : (topology.BridgeNamespace, topology.BridgePortOf(to), "src", source);
        }
    }

    // One class per (kind, sender) on a device: bandwidth 0x100 + sender, latency 0x200 + sender (client is sender 0,
    // node i is sender i + 1). The same number is the filter's prio, so removal finds the filter from the link alone.
    private static int ClassMinor(KernelTopology topology, string link, LinkFaultKind kind)
    {
        var (from, _) = Ends(link);
        var sender = from == "client" ? 0 : topology.Index(from) + 1;
        return (kind == LinkFaultKind.Bandwidth ? 0x100 : 0x200) + sender;
    }

    private static ImmutableArray<string> Tbf(int kilobytesPerSecond)
    {
        // 1 KB = 1000 bytes, as the proxy mode's bandwidth; the bucket holds a tenth of a second (at least 16 kB, a few packets).
        var bytesPerSecond = (long)kilobytesPerSecond * 1000;
        var burst = Math.Max(bytesPerSecond / 10, 16_000);
        return ["tbf", "rate", Number(bytesPerSecond * 8) + "bit", "burst", Number(burst), "latency", "2s"];
    }

    private static ImmutableArray<string> Netem(TimeSpan latency, TimeSpan jitter) =>
        jitter > TimeSpan.Zero
            ? ["netem", "delay", Ms(latency), Ms(jitter)]
            : ["netem", "delay", Ms(latency)];

    private static string Ms(TimeSpan value) => Number((long)value.TotalMilliseconds) + "ms";

    private static KernelCommand Tc(string ns, bool mayFail, params string[] arguments) => new(ns, ["tc", .. arguments], mayFail);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Word(LinkFaultKind kind) => kind switch
    {
        LinkFaultKind.ResetPeer => "reset",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
