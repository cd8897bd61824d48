using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Networks.Kernel;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>The kernel mode's rules for the Docker backend's containers: pure, no daemon.</summary>
public sealed class DockerKernelRulesTests
{
    private static readonly KernelTopology Containers = KernelTopology.ForContainers("0a1b2c3d", "10.210.7", ["primary", "replica1", "replica2"]);

    [Test]
    public void A_wal_partition_in_containers_matches_the_containers_static_addresses_in_the_primarys_namespace()
    {
        var commands = KernelRules.Filter(Containers, "replica1->primary", LinkFaultKind.Partition, LinkDirection.Both);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] iptables -w -A INPUT -s 10.210.7.11 -d 10.210.7.10 -m comment --comment chaospg:partition:replica1->primary -j DROP",
            "[cpg-0a1b2c3d-primary] iptables -w -A OUTPUT -s 10.210.7.10 -d 10.210.7.11 -m comment --comment chaospg:partition:replica1->primary -j DROP",
        }));
        Assert.That(commands.Select(c => DockerKernelShell.NodeOf(Containers, c)), Is.All.EqualTo("primary"), "run in the primary's container");
    }

    [Test]
    public void A_client_link_in_containers_is_traffic_from_the_networks_gateway_which_is_the_host()
    {
        var commands = KernelRules.Filter(Containers, "client->replica2", LinkFaultKind.Loss, LinkDirection.Upstream, 0.2);

        Assert.That(commands.Single().ToString(), Is.EqualTo(
            "[cpg-0a1b2c3d-replica2] iptables -w -A INPUT -s 10.210.7.1 -d 10.210.7.12 -m comment --comment chaospg:loss:client->replica2 -m statistic --mode random --probability 0.2 -j DROP"));
    }

    [Test]
    public void Upstream_bandwidth_in_containers_redirects_the_servers_ingress_to_an_ifb_device_in_the_same_container_and_shapes_there()
    {
        var commands = KernelRules.Shape(Containers, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Upstream, kilobytesPerSecond: 50);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] ip link add cpgifb type ifb",
            "[cpg-0a1b2c3d-primary] ip link set cpgifb up",
            "[cpg-0a1b2c3d-primary] tc qdisc add dev eth0 handle ffff: ingress",
            "[cpg-0a1b2c3d-primary] tc filter replace dev eth0 parent ffff: protocol ip prio 1 handle 800::800 u32 match u32 0 0 action mirred egress redirect dev cpgifb",
            "[cpg-0a1b2c3d-primary] tc qdisc add dev cpgifb root handle 1: htb default 1",
            "[cpg-0a1b2c3d-primary] tc class add dev cpgifb parent 1: classid 1:1 htb rate 10gbit",
            "[cpg-0a1b2c3d-primary] tc class replace dev cpgifb parent 1: classid 1:100 htb rate 10gbit",
            "[cpg-0a1b2c3d-primary] tc qdisc replace dev cpgifb parent 1:100 handle 100: tbf rate 400000bit burst 16000 latency 2s",
            "[cpg-0a1b2c3d-primary] tc filter replace dev cpgifb parent 1: protocol ip prio 256 u32 match ip src 10.210.7.1/32 flowid 1:100",
        }), "the client's upstream half is shaped in the server's container, never on the host");
        Assert.That(KernelRules.RemoveShape(Containers, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Upstream).Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] tc filter del dev cpgifb parent 1: protocol ip prio 256",
            "[cpg-0a1b2c3d-primary] tc qdisc del dev cpgifb parent 1:100 handle 100:",
            "[cpg-0a1b2c3d-primary] tc class del dev cpgifb classid 1:100",
        }));
    }

    [Test]
    public void Heal_in_containers_flushes_and_unshapes_each_container_and_its_ifb_device_and_names_no_bridge()
    {
        var commands = KernelRules.Heal(Containers);

        Assert.That(commands, Has.Length.EqualTo(5 * Containers.Nodes.Length));
        Assert.That(commands.Select(c => DockerKernelShell.NodeOf(Containers, c)).Distinct(), Is.EquivalentTo(Containers.Nodes));
        Assert.That(commands.Select(c => c.ToString()), Has.Member("[cpg-0a1b2c3d-replica1] ip link del cpgifb").And.Member("[cpg-0a1b2c3d-replica1] tc qdisc del dev eth0 ingress"));
        Assert.That(commands.Where(c => c.Arguments[0] != "iptables").Select(c => c.MayFail), Is.All.True, "each may find nothing to remove");
    }

    [Test]
    public void A_command_outside_the_runs_containers_is_refused()
    {
        Assert.That(() => DockerKernelShell.NodeOf(Containers, new KernelCommand(null, ["iptables", "-F", "INPUT"])), Throws.InvalidOperationException.With.Message.Contains("outside the run's containers"));
        Assert.That(() => DockerKernelShell.NodeOf(Containers, new KernelCommand(Containers.BridgeNamespace, ["tc", "qdisc"])), Throws.InvalidOperationException);
        Assert.That(() => DockerKernelShell.NodeOf(Containers, new KernelCommand("cpg-ffffffff-primary", ["iptables", "-F", "INPUT"])), Throws.InvalidOperationException, "another run's node");
    }

    [Test]
    public void The_node_interface_after_dev_becomes_the_containers_interface_on_the_runs_network()
    {
        Assert.That(DockerKernelShell.WithDevice(["tc", "qdisc", "del", "dev", "eth0", "root"], "eth1"), Is.EqualTo(new[] { "tc", "qdisc", "del", "dev", "eth1", "root" }));
        Assert.That(DockerKernelShell.WithDevice(["iptables", "-A", "INPUT", "-m", "comment", "--comment", "eth0"], "eth1"), Has.Member("eth0"), "only a device argument");
    }
}
