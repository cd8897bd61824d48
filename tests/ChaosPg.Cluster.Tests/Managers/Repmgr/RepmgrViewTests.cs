using ChaosPg.Cluster.Managers.Repmgr;

namespace ChaosPg.Cluster.Tests.Managers.Repmgr;

public class RepmgrViewTests
{
    private static readonly RepmgrNodeRow[] BeforeFailover =
    [
        new("primary", "primary", true, null),
        new("replica1", "standby", true, "primary"),
        new("witness", "witness", true, "primary"),
    ];

    private static readonly RepmgrNodeRow[] AfterPromotion =
    [
        new("primary", "primary", false, null),
        new("replica1", "primary", true, null),
        new("witness", "witness", true, "replica1"),
    ];

    [Test]
    public void During_a_split_the_view_is_the_table_of_the_writable_server_on_the_newest_timeline_the_one_a_promotion_wrote_last()
    {
        var view = RepmgrView.Choose(
        [
            new RepmgrAnswer("primary", InRecovery: false, Timeline: 1, Paused: false, [.. BeforeFailover]),
            new RepmgrAnswer("replica1", InRecovery: false, Timeline: 2, Paused: false, [.. AfterPromotion]),
        ]);

        Assert.That(view!.Leader, Is.EqualTo("replica1"));
        Assert.That(view.Source, Is.EqualTo("repmgr.nodes on replica1"));
        Assert.That(view["primary"]!.State, Is.EqualTo("inactive"), "the promotion marked the old primary inactive");
        Assert.That(view["witness"]!.IsLeader, Is.False);
    }

    [Test]
    public void A_writable_server_is_preferred_to_a_standby_and_with_none_the_first_standby_by_name_answers()
    {
        var fromPrimary = RepmgrView.Choose(
        [
            new RepmgrAnswer("replica1", InRecovery: true, Timeline: 0, Paused: true, [.. BeforeFailover]),
            new RepmgrAnswer("primary", InRecovery: false, Timeline: 1, Paused: false, [.. BeforeFailover]),
        ]);
        Assert.That((fromPrimary!.Source, fromPrimary.Paused), Is.EqualTo(("repmgr.nodes on primary", false)));

        var standbysOnly = RepmgrView.Choose(
        [
            new RepmgrAnswer("replica2", InRecovery: true, Timeline: 0, Paused: false, [.. BeforeFailover]),
            new RepmgrAnswer("replica1", InRecovery: true, Timeline: 0, Paused: true, [.. BeforeFailover]),
        ]);
        Assert.That(standbysOnly!.Source, Is.EqualTo("repmgr.nodes on replica1"));
        Assert.That(standbysOnly.Leader, Is.EqualTo("primary"), "the standbys still hold the lost primary's table");
        Assert.That(standbysOnly.Paused, Is.True);
    }

    [Test]
    public void No_answer_is_no_view()
    {
        Assert.That(RepmgrView.Choose([]), Is.Null);
    }
}
