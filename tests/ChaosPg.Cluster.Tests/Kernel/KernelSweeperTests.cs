using ChaosPg.Cluster.Networks.Kernel;

namespace ChaosPg.Cluster.Tests.Kernel;

public sealed class KernelSweeperTests
{
    [Test]
    public void Only_runs_whose_owner_is_dead_are_swept_and_names_of_any_other_form_are_never_touched()
    {
        string[] namespaces = ["cpg-aaaaaaaa-primary", "cpg-aaaaaaaa-br", "cpg-aaaaaaaa-replica1", "cpg-bbbbbbbb-primary", "cpg-bbbbbbbb-br", "cpg-probe-a", "cpgprobe-12-abcdef", "other", "cpg-AAAAAAAA-primary"];
        string[] interfaces = ["lo", "eth0", "cpgaaaaaaaah", "cpgbbbbbbbbh", "cpgccccccccch", "cpgcccccccch", "docker0"];

        var (runIds, commands) = KernelSweeper.Plan(namespaces, interfaces, runId => runId == "bbbbbbbb");

        Assert.That(runIds, Is.EqualTo(new[] { "aaaaaaaa", "cccccccc" }));
        Assert.That(commands.Select(c => string.Join(' ', c.Arguments)), Is.EqualTo(new[]
        {
            "ip link del cpgaaaaaaaah",
            "ip link del cpgcccccccch",
            "ip netns del cpg-aaaaaaaa-primary",
            "ip netns del cpg-aaaaaaaa-replica1",
            "ip netns del cpg-aaaaaaaa-br",
        }));
        Assert.That(commands.Select(c => c.Namespace), Is.All.Null, "namespaces are deleted from the root namespace");
    }

    [Test]
    public void Each_runs_owner_is_asked_once()
    {
        var asked = new List<string>();

        KernelSweeper.Plan(["cpg-aaaaaaaa-primary", "cpg-aaaaaaaa-br"], ["cpgaaaaaaaah"], runId =>
        {
            asked.Add(runId);
            return true;
        });

        Assert.That(asked, Is.EqualTo(new[] { "aaaaaaaa" }));
    }

    [Test]
    public void Nothing_is_swept_when_every_owner_lives()
    {
        var (runIds, commands) = KernelSweeper.Plan(["cpg-aaaaaaaa-primary"], ["cpgaaaaaaaah"], _ => true);

        Assert.That(runIds, Is.Empty);
        Assert.That(commands, Is.Empty);
    }

    [Test]
    public void Ip_output_is_parsed_into_names()
    {
        Assert.That(KernelSweeper.ParseNamespaces("cpg-aaaaaaaa-br (id: 3)\ncpg-aaaaaaaa-primary\n"), Is.EqualTo(new[] { "cpg-aaaaaaaa-br", "cpg-aaaaaaaa-primary" }));
        Assert.That(
            KernelSweeper.ParseInterfaces("1: lo: <LOOPBACK,UP> mtu 65536\n7: cpgaaaaaaaah@if2: <BROADCAST,MULTICAST,UP> mtu 1500\n"),
            Is.EqualTo(new[] { "lo", "cpgaaaaaaaah" }));
    }
}
