using System.Collections.Immutable;
using ChaosPg.Cluster.Managers.Common;
using NUnit.Framework;

namespace ChaosPg.Cluster.Tests.Managers.Common;

/// <summary>Role targets resolved from a manager's view, as a step resolves them when it runs.</summary>
public sealed class RoleTargetsTests
{
    private static ManagerView View(params ManagerMember[] members) => new("test", [.. members], Paused: false);

    private static ManagerMember Member(string name, string state = "running", bool leader = false) =>
        new(name, leader ? "leader" : "replica", state, 1, leader ? null : 0, leader);

    [Test]
    public void Leader_is_the_member_the_manager_names_leader_whatever_its_name()
    {
        var view = View(Member("primary"), Member("replica1", leader: true), Member("replica2"));

        Assert.That(RoleTargets.Resolve("leader", view), Is.EqualTo("replica1"));
    }

    [Test]
    public void Replica_is_the_first_running_non_leader_in_name_order()
    {
        var view = View(Member("replica2"), Member("primary", state: "stopped"), Member("replica1", leader: true), Member("replica3", state: "streaming"));

        Assert.That(RoleTargets.Resolve("replica", view), Is.EqualTo("replica2"), "primary is stopped and replica1 leads");
    }

    [Test]
    public void Nothing_resolves_without_a_leader_a_running_replica_or_a_view()
    {
        var leaderless = View(Member("primary", state: "stopped"), Member("replica1", state: "starting"));

        Assert.That(RoleTargets.Resolve("leader", leaderless), Is.Null);
        Assert.That(RoleTargets.Resolve("replica", leaderless), Is.Null);
        Assert.That(RoleTargets.Resolve("leader", null), Is.Null);
        Assert.That(() => RoleTargets.Resolve("primary", View(Member("primary", leader: true))), Throws.ArgumentException);
    }

    [Test]
    public void The_view_s_members_are_not_needed_in_any_order()
    {
        var members = ImmutableArray.Create(Member("replica3"), Member("replica1"), Member("primary", leader: true));

        Assert.That(RoleTargets.Resolve("replica", new ManagerView("test", members, Paused: true)), Is.EqualTo("replica1"));
    }
}
