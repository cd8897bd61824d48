using System.Collections.Immutable;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// The commands that make and remove a <see cref="KernelTopology"/>. The root namespace gets only the run's own veth
/// end with the host address (its /24 route goes with it); no route, rule or other interface of the root namespace
/// is touched, and no run namespace gets a default route, so nothing in it reaches past the run's /24.
/// </summary>
public static class KernelSetup
{
    /// <summary>Bridge namespace, the harness veth, then one namespace and veth per node.</summary>
    public static ImmutableArray<KernelCommand> Create(KernelTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var bridge = topology.BridgeNamespace;
        var commands = ImmutableArray.CreateBuilder<KernelCommand>();
        commands.Add(Root("ip", "netns", "add", bridge));
        commands.Add(In(bridge, "ip", "link", "set", "lo", "up"));
        commands.Add(In(bridge, "ip", "link", "add", KernelTopology.Bridge, "type", "bridge"));
        commands.Add(In(bridge, "ip", "link", "set", KernelTopology.Bridge, "up"));
        commands.Add(Root("ip", "link", "add", topology.HostInterface, "type", "veth", "peer", "name", topology.HostBridgePort, "netns", bridge));
        commands.Add(Root("ip", "addr", "add", topology.HostAddress + "/24", "dev", topology.HostInterface));
        commands.Add(Root("ip", "link", "set", topology.HostInterface, "up"));
        commands.Add(In(bridge, "ip", "link", "set", topology.HostBridgePort, "master", KernelTopology.Bridge, "up"));
        foreach (var node in topology.Nodes)
        {
            var ns = topology.NamespaceOf(node);
            commands.Add(Root("ip", "netns", "add", ns));
            commands.Add(In(ns, "ip", "link", "set", "lo", "up"));
            commands.Add(In(bridge, "ip", "link", "add", topology.BridgePortOf(node), "type", "veth", "peer", "name", KernelTopology.NodeInterface, "netns", ns));
            commands.Add(In(bridge, "ip", "link", "set", topology.BridgePortOf(node), "master", KernelTopology.Bridge, "up"));
            commands.Add(In(ns, "ip", "addr", "add", topology.PeerAddress(node) + "/24", "dev", KernelTopology.NodeInterface));
            commands.Add(In(ns, "ip", "addr", "add", topology.AdminAddress(node) + "/24", "dev", KernelTopology.NodeInterface));
            commands.Add(In(ns, "ip", "link", "set", KernelTopology.NodeInterface, "up"));
        }

        return commands.ToImmutable();
    }

    /// <summary>
    /// Removes the harness veth, every node namespace and the bridge namespace (which takes every veth pair with it);
    /// each step may find its target gone.
    /// </summary>
    public static ImmutableArray<KernelCommand> Delete(KernelTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return [
            new KernelCommand(null, ["ip", "link", "del", topology.HostInterface], MayFail: true),
            .. topology.Namespaces.Select(ns => new KernelCommand(null, ["ip", "netns", "del", ns], MayFail: true))];
    }

    private static KernelCommand Root(params string[] arguments) => new(null, [.. arguments]);

    private static KernelCommand In(string ns, params string[] arguments) => new(ns, [.. arguments]);
}
