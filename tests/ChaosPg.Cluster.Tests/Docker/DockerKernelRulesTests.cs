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
    public void Upstream_bandwidth_between_containers_shapes_the_senders_own_interface_towards_the_server()
    {
        var commands = KernelRules.Shape(Containers, "replica2->replica1", LinkFaultKind.Bandwidth, LinkDirection.Upstream, kilobytesPerSecond: 50);

        Assert.That(commands.Select(c => c.Namespace).Distinct(), Is.EqualTo(new[] { "cpg-0a1b2c3d-replica2" }), "no bridge namespace in containers");
        Assert.That(commands.Last().ToString(), Is.EqualTo("[cpg-0a1b2c3d-replica2] tc filter replace dev eth0 parent 1: protocol ip prio 259 u32 match ip dst 10.210.7.11/32 flowid 1:103"));
        Assert.That(KernelRules.RemoveShape(Containers, "replica2->replica1", LinkFaultKind.Bandwidth, LinkDirection.Upstream).Select(c => c.Namespace).Distinct(), Is.EqualTo(new[] { "cpg-0a1b2c3d-replica2" }));
    }

    [Test]
    public void Upstream_bandwidth_of_a_client_link_in_containers_is_refused_since_it_would_shape_the_host()
    {
        Assert.That(
            () => KernelRules.Shape(Containers, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Both, kilobytesPerSecond: 50),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("direction: downstream"));
        Assert.That(KernelRules.RemoveShape(Containers, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Both), Has.Length.EqualTo(3), "removal takes the downstream half only");
    }

    [Test]
    public void Heal_in_containers_flushes_and_unshapes_each_container_and_names_no_bridge()
    {
        var commands = KernelRules.Heal(Containers);

        Assert.That(commands, Has.Length.EqualTo(3 * Containers.Nodes.Length));
        Assert.That(commands.Select(c => DockerKernelShell.NodeOf(Containers, c)).Distinct(), Is.EquivalentTo(Containers.Nodes));
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
