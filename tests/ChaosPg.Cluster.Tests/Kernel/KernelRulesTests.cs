using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Networks.Kernel;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Cluster.Tests.Kernel;

public sealed class KernelRulesTests
{
    private static readonly KernelTopology Topology = KernelTopology.Create("0a1b2c3d", "10.210.7", ["primary", "replica1", "replica2"]);

    [Test]
    public void A_downstream_partition_of_a_wal_link_drops_only_the_primarys_packets_to_the_replica_inside_the_primarys_namespace()
    {
        var commands = KernelRules.Filter(Topology, "replica1->primary", LinkFaultKind.Partition, LinkDirection.Downstream);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] iptables -w -A OUTPUT -s 10.210.7.10 -d 10.210.7.11 -m comment --comment chaospg:partition:replica1->primary -j DROP",
        }));
    }

    [Test]
    public void A_partition_of_both_halves_drops_in_input_and_output_and_never_matches_the_admin_address()
    {
        var commands = KernelRules.Filter(Topology, "client->replica2", LinkFaultKind.Partition, LinkDirection.Both);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-replica2] iptables -w -A INPUT -s 10.210.7.1 -d 10.210.7.12 -m comment --comment chaospg:partition:client->replica2 -j DROP",
            "[cpg-0a1b2c3d-replica2] iptables -w -A OUTPUT -s 10.210.7.12 -d 10.210.7.1 -m comment --comment chaospg:partition:client->replica2 -j DROP",
        }));
        Assert.That(commands.SelectMany(c => c.Arguments), Has.None.EqualTo(Topology.AdminAddress("replica2")));
    }

    [Test]
    public void A_reset_rejects_tcp_with_a_reset_on_both_halves_whatever_direction_is_asked()
    {
        var commands = KernelRules.Filter(Topology, "replica2->primary", LinkFaultKind.ResetPeer, LinkDirection.Upstream);

        Assert.That(commands, Has.Length.EqualTo(2));
        Assert.That(commands.Select(c => string.Join(' ', c.Arguments.TakeLast(6))), Is.All.EqualTo("-p tcp -j REJECT --reject-with tcp-reset"));
    }

    [Test]
    public void Loss_uses_the_statistic_match_with_the_probability_asked()
    {
        var commands = KernelRules.Filter(Topology, "replica1->primary", LinkFaultKind.Loss, LinkDirection.Upstream, 0.2);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] iptables -w -A INPUT -s 10.210.7.11 -d 10.210.7.10 -m comment --comment chaospg:loss:replica1->primary -m statistic --mode random --probability 0.2 -j DROP",
        }));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.1)]
    public void Loss_outside_zero_to_one_is_refused(double probability)
    {
        Assert.That(() => KernelRules.Filter(Topology, "replica1->primary", LinkFaultKind.Loss, LinkDirection.Both, probability), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Bandwidth_downstream_is_a_tbf_behind_an_htb_class_on_the_servers_interface_filtered_on_the_senders_address()
    {
        var commands = KernelRules.Shape(Topology, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Downstream, kilobytesPerSecond: 100);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] tc qdisc add dev eth0 root handle 1: htb default 1",
            "[cpg-0a1b2c3d-primary] tc class add dev eth0 parent 1: classid 1:1 htb rate 10gbit",
            "[cpg-0a1b2c3d-primary] tc class replace dev eth0 parent 1: classid 1:100 htb rate 10gbit",
            "[cpg-0a1b2c3d-primary] tc qdisc replace dev eth0 parent 1:100 handle 100: tbf rate 800000bit burst 16000 latency 2s",
            "[cpg-0a1b2c3d-primary] tc filter replace dev eth0 parent 1: protocol ip prio 256 u32 match ip dst 10.210.7.1/32 flowid 1:100",
        }));
        Assert.That(commands.Take(2).Select(c => c.MayFail), Is.All.True, "the shared root may be there already");
    }

    [Test]
    public void Bandwidth_upstream_shapes_the_bridge_port_towards_the_server_never_a_root_namespace_device()
    {
        var commands = KernelRules.Shape(Topology, "replica2->replica1", LinkFaultKind.Bandwidth, LinkDirection.Upstream, kilobytesPerSecond: 50);

        Assert.That(commands.Select(c => c.Namespace).Distinct(), Is.EqualTo(new[] { "cpg-0a1b2c3d-br" }));
        Assert.That(commands.Last().ToString(), Is.EqualTo("[cpg-0a1b2c3d-br] tc filter replace dev cpg0a1b2c3db1 parent 1: protocol ip prio 259 u32 match ip src 10.210.7.12/32 flowid 1:103"));
    }

    [Test]
    public void Latency_is_netem_with_its_jitter()
    {
        var commands = KernelRules.Shape(Topology, "replica1->primary", LinkFaultKind.Latency, LinkDirection.Downstream, latency: TimeSpan.FromMilliseconds(200), jitter: TimeSpan.FromMilliseconds(20));

        Assert.That(commands[3].ToString(), Is.EqualTo("[cpg-0a1b2c3d-primary] tc qdisc replace dev eth0 parent 1:202 handle 202: netem delay 200ms 20ms"));
    }

    [Test]
    public void Heal_flushes_every_node_namespace_and_removes_every_shaping_root_each_of_which_may_be_absent()
    {
        var commands = KernelRules.Heal(Topology);

        Assert.That(commands.Where(c => c.Arguments[0] == "iptables").Select(c => c.ToString()), Is.EquivalentTo(
            Topology.Nodes.SelectMany(n => new[] { $"[{Topology.NamespaceOf(n)}] iptables -w -F INPUT", $"[{Topology.NamespaceOf(n)}] iptables -w -F OUTPUT" })));
        Assert.That(commands.Where(c => c.Arguments[0] == "tc").Select(c => c.MayFail), Is.All.True);
        Assert.That(commands.Where(c => c.Arguments[0] == "tc"), Has.Exactly(6).Items);
    }

    [FsCheck.NUnit.Property]
    public Property Every_rule_of_every_fault_lives_in_a_run_namespace_and_removal_deletes_what_apply_added()
    {
        var links = new[] { "client->primary", "client->replica1", "replica1->primary", "replica2->primary", "replica2->replica1", "primary->replica1" };
        var kinds = new[] { LinkFaultKind.Partition, LinkFaultKind.Blackhole, LinkFaultKind.ResetPeer, LinkFaultKind.Loss };
        var directions = new[] { LinkDirection.Both, LinkDirection.Upstream, LinkDirection.Downstream };
        var cases = from link in Gen.Elements(links)
                    from kind in Gen.Elements(kinds)
                    from direction in Gen.Elements(directions)
                    select (link, kind, direction);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var apply = KernelRules.Filter(Topology, c.link, c.kind, c.direction, 0.3);
            var remove = KernelRules.RemoveFilter(Topology, c.link, c.kind, c.direction, 0.3);
            var inRunNamespaces = apply.All(x => x.Namespace is { } ns && Topology.Namespaces.Contains(ns));
            var mirrored = apply.Length == remove.Length
                && apply.Zip(remove).All(p => p.First.Arguments.Select(a => a == "-A" ? "-D" : a).SequenceEqual(p.Second.Arguments) && p.Second.MayFail);
            return inRunNamespaces && mirrored && apply.Length is 1 or 2;
        });
    }

    [Test]
    public void Shape_removal_takes_the_filter_class_and_leaf_of_that_link_and_kind_only()
    {
        var commands = KernelRules.RemoveShape(Topology, "client->primary", LinkFaultKind.Bandwidth, LinkDirection.Downstream);

        Assert.That(commands.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "[cpg-0a1b2c3d-primary] tc filter del dev eth0 parent 1: protocol ip prio 256",
            "[cpg-0a1b2c3d-primary] tc qdisc del dev eth0 parent 1:100 handle 100:",
            "[cpg-0a1b2c3d-primary] tc class del dev eth0 classid 1:100",
        }));
    }
}
