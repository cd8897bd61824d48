using ChaosPg.Cluster.Networks.Kernel;

namespace ChaosPg.Cluster.Tests.Kernel;

public sealed class KernelTopologyTests
{
    private static readonly KernelTopology Topology = KernelTopology.Create("0a1b2c3d", "10.210.7", ["primary", "replica1"]);

    [Test]
    public void Every_namespace_and_interface_name_carries_the_run_id_and_fits_the_kernels_limits()
    {
        var interfaces = new[] { Topology.HostInterface, Topology.HostBridgePort, Topology.BridgePortOf("primary"), Topology.BridgePortOf("replica1") };

        Assert.That(Topology.Namespaces, Is.EqualTo(new[] { "cpg-0a1b2c3d-primary", "cpg-0a1b2c3d-replica1", "cpg-0a1b2c3d-br" }));
        Assert.That(interfaces, Is.All.Contains("0a1b2c3d"));
        Assert.That(interfaces.Select(i => i.Length), Is.All.LessThanOrEqualTo(15));
    }

    [Test]
    public void Each_node_has_a_peer_and_an_admin_address_in_the_runs_subnet_and_the_host_has_one()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Topology.HostAddress, Is.EqualTo("10.210.7.1"));
            Assert.That(Topology.PeerAddress("replica1"), Is.EqualTo("10.210.7.11"));
            Assert.That(Topology.AdminAddress("replica1"), Is.EqualTo("10.210.7.101"));
            Assert.That(Topology.SourceAddress("client"), Is.EqualTo(Topology.HostAddress));
            Assert.That(Topology.Subnet, Is.EqualTo("10.210.7.0/24"));
        });
    }

    [Test]
    public void Setup_changes_the_root_namespace_only_by_the_runs_own_veth_end_and_adds_no_route()
    {
        var commands = KernelSetup.Create(Topology);
        var root = commands.Where(c => c.Namespace is null).Select(c => string.Join(' ', c.Arguments)).ToList();

        Assert.That(root, Is.EqualTo(new[]
        {
            "ip netns add cpg-0a1b2c3d-br",
            "ip link add cpg0a1b2c3dh type veth peer name cpg0a1b2c3dhb netns cpg-0a1b2c3d-br",
            "ip addr add 10.210.7.1/24 dev cpg0a1b2c3dh",
            "ip link set cpg0a1b2c3dh up",
            "ip netns add cpg-0a1b2c3d-primary",
            "ip netns add cpg-0a1b2c3d-replica1",
        }));
        Assert.That(commands.SelectMany(c => c.Arguments), Has.None.EqualTo("route").And.None.EqualTo("default").And.None.EqualTo("iptables"));
    }

    [Test]
    public void Teardown_deletes_the_host_veth_and_every_namespace_of_the_run_each_of_which_may_be_gone()
    {
        var commands = KernelSetup.Delete(Topology);

        Assert.That(commands.Select(c => string.Join(' ', c.Arguments)), Is.EqualTo(new[]
        {
            "ip link del cpg0a1b2c3dh", "ip netns del cpg-0a1b2c3d-primary", "ip netns del cpg-0a1b2c3d-replica1", "ip netns del cpg-0a1b2c3d-br",
        }));
        Assert.That(commands.Select(c => c.MayFail), Is.All.True);
    }

    [TestCase("0A1B2C3D")]
    [TestCase("0a1b2c3")]
    [TestCase("0a1b-c3d")]
    public void A_run_id_that_is_not_eight_lower_case_hex_digits_is_refused(string runId)
    {
        Assert.That(() => KernelTopology.Create(runId, "10.210.7", ["primary"]), Throws.ArgumentException);
    }

    [Test]
    public void Preferred_subnets_stay_in_10_200_to_10_249_and_move_with_each_attempt()
    {
        var subnets = Enumerable.Range(0, 20).Select(i => KernelTopology.PreferredSubnet("ffffffff", i)).ToList();

        Assert.That(subnets.Select(s => int.Parse(s.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture)), Is.All.InRange(200, 249));
        Assert.That(subnets.Distinct().Count(), Is.EqualTo(20));
    }
}
