using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Networks.Kernel;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>The kernel mode's rules for the Docker backend's containers: pure, no daemon.</summary>
public sealed class DockerKernelRulesTests
{
    private static readonly KernelTopology Containers = KernelTopology.ForContainers("0a1b2c3d", "10.210.7", ["primary", "replica1", "replica2"]);

    [Test]
    public void Filters_in_containers_are_the_local_modes_rules_and_each_runs_in_the_servers_container()
    {
        var local = KernelTopology.Create(Containers.RunId, Containers.SubnetPrefix, Containers.Nodes);
        foreach (var link in new[] { "client->primary", "client->replica2", "replica1->primary", "replica2->replica1" })
        {
            foreach (var kind in new[] { LinkFaultKind.Partition, LinkFaultKind.Blackhole, LinkFaultKind.ResetPeer, LinkFaultKind.Loss })
            {
                foreach (var direction in new[] { LinkDirection.Both, LinkDirection.Upstream, LinkDirection.Downstream })
                {
                    var commands = KernelRules.Filter(Containers, link, kind, direction, 0.2);
                    Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(KernelRules.Filter(local, link, kind, direction, 0.2).Select(c => c.ToString())), "the host is the gateway .1, a container's static address its peer address");
                    Assert.That(commands.Select(c => DockerKernelShell.NodeOf(Containers, c)), Is.All.EqualTo(KernelRules.Ends(link).To));
                }
            }
        }
    }

    [Test]
    public void Upstream_bandwidth_in_containers_redirects_the_servers_ingress_to_an_ifb_device_in_the_same_container_and_shapes_there()
    {
        var lines = KernelRules.Shape(Containers, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Upstream, kilobytesPerSecond: 50).Select(c => c.ToString()).ToList();

        Assert.That(lines, Has.All.StartWith("[cpg-0a1b2c3d-primary] "), "the client's upstream half is shaped in the server's container, never on the host");
        Assert.That(lines.Take(4), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] ip link add cpgifb type ifb",
            "[cpg-0a1b2c3d-primary] ip link set cpgifb up",
            "[cpg-0a1b2c3d-primary] tc qdisc add dev eth0 handle ffff: ingress",
            "[cpg-0a1b2c3d-primary] tc filter replace dev eth0 parent ffff: protocol ip prio 1 handle 800::800 u32 match u32 0 0 action mirred egress redirect dev cpgifb",
        }));
        Assert.That(lines.Skip(4), Has.All.Contains(" dev cpgifb "), "then shaped on the ifb device's egress");
        Assert.That(lines.Last(), Does.EndWith("u32 match ip src 10.210.7.1/32 flowid 1:100"), "matched on the sender, the gateway");
        var removal = KernelRules.RemoveShape(Containers, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Upstream).Select(c => c.ToString());
        Assert.That(removal, Has.Exactly(3).Items.And.All.Contains(" dev cpgifb "));
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
