using System.Globalization;
using ChaosPg.Cluster.Managers.Common;
using System.Collections.Immutable;
using ChaosPg.Runner.Runs;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Runner.Tests.Orchestration;

public class ManagerEventRecorderTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 23, 0, 9, TimeSpan.Zero);

    [Test]
    public async Task A_managers_promotion_is_a_promote_event_on_the_node_and_other_changes_are_role_change_events_with_their_evidence()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manager-events-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var history = HistoryWriter.Create(path, "managed", 7, "primary"))
            {
                ManagerEventRecorder.Record(history, new RoleChange(At, RoleChangeKind.LeaderChanged, "replica1", "primary", "replica1", "patroni /cluster: leader primary -> replica1"), "patroni");
                ManagerEventRecorder.Record(history, new RoleChange(At, RoleChangeKind.Promoted, "replica1", "replica", "primary", "pg_is_in_recovery() on replica1: true -> false"), "patroni");
                ManagerEventRecorder.Record(history, new RoleChange(At, RoleChangeKind.MaintenanceChanged, null, "off", "on", "patroni /cluster: pause off -> on"), "patroni");
            }

            var events = (await HistoryReader.ReadAsync(path)).Events.OrderBy(e => e.Id).ToList();
            Assert.That(events.Select(e => (e.Kind, e.Target)), Is.EqualTo(new[]
            {
                (EventKind.RoleChange, "replica1"),
                (EventKind.Promote, "replica1"),
                (EventKind.RoleChange, "cluster"),
            }));
            Assert.That(events.All(e => e.EndMicros is not null && e.Ok == true), Is.True, "each is an instant that ended ok");
            Assert.That(events[0].Parameters["change"], Is.EqualTo("leader-changed"));
            Assert.That((events[0].Parameters["from"], events[0].Parameters["to"]), Is.EqualTo(("primary", "replica1")));
            Assert.That(events[1].Parameters["by"], Is.EqualTo("patroni"), "the promotion was the manager's, not the harness's");
            Assert.That(events[1].Parameters["evidence"], Does.Contain("pg_is_in_recovery()"));
            Assert.That(events[2].Parameters["change"], Is.EqualTo("maintenance-changed"));
            Assert.That(File.ReadAllText(path), Does.Contain("\"role-change\""), "the kind is written in kebab case like the others");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task A_managers_promotion_carries_how_far_behind_its_node_was_in_the_last_sample_before_and_the_promise_settings()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manager-events-{Guid.NewGuid():N}.jsonl");
        var round = new ReplicationRound(
            12_500_000,
            "primary",
            [new ReplicationSample(12_500_000, "replica1", "replica", 4096, 12.5, "streaming"), new ReplicationSample(12_500_000, "replica2", "replica", 128, 3, "streaming")],
            new ManagerView("patroni /cluster", [new ManagerMember("primary", "leader", "running", 1, null, true), new ManagerMember("replica1", "replica", "running", 1, 4000, false)], false));
        var settings = new Dictionary<string, string> { ["synchronous-mode"] = "off", ["maximum-lag-on-failover"] = "1048576", ["ttl"] = "30" };
        try
        {
            await using (var history = HistoryWriter.Create(path, "managed", 7, "primary"))
            {
                ManagerEventRecorder.Record(
                    history,
                    new RoleChange(At, RoleChangeKind.Promoted, "replica1", "replica", "primary", "pg_is_in_recovery() on replica1: true -> false"),
                    "patroni",
                    node => node == "replica1" ? round : null,
                    settings);
            }

            var promote = (await HistoryReader.ReadAsync(path)).Events.Single();
            Assert.That(promote.Kind, Is.EqualTo(EventKind.Promote));
            Assert.That(promote.Parameters, Does.ContainKey("lag-bytes").WithValue("4096"));
            Assert.That(promote.Parameters, Does.ContainKey("lag-ms").WithValue("12.5"));
            Assert.That(promote.Parameters, Does.ContainKey("manager-lag-bytes").WithValue("4000"));
            Assert.That(promote.Parameters, Does.ContainKey("most-advanced").WithValue("false"), "replica2 was 128 bytes behind");
            Assert.That(promote.Parameters, Does.ContainKey("replica-lags").WithValue("replica1=4096 replica2=128"));
            Assert.That(promote.Parameters["lag-source"], Is.EqualTo("pg_stat_replication on primary at 12.500s, the last sample before the change"));
            Assert.That((promote.Parameters["synchronous-mode"], promote.Parameters["maximum-lag-on-failover"]), Is.EqualTo(("off", "1048576")));
            Assert.That(promote.Parameters.ContainsKey("ttl"), Is.False, "only the settings that state the promise");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_promotion_with_no_sample_before_it_says_so_instead_of_a_lag()
    {
        var parameters = PromotionLag.Describe("replica1", null);

        Assert.That(parameters.Keys, Is.EquivalentTo(new[] { "lag-source" }));
        Assert.That(parameters["lag-source"], Is.EqualTo("no replication sample was taken before the change"));
    }

    [Test]
    public void The_most_advanced_replica_is_the_one_no_other_was_less_behind_than()
    {
        var round = new ReplicationRound(1, "primary", [new ReplicationSample(1, "replica1", "replica", 0, null, "streaming"), new ReplicationSample(1, "replica2", "replica", null, null, "disconnected")], null);

        var parameters = PromotionLag.Describe("replica1", round);

        Assert.That(parameters["most-advanced"], Is.EqualTo("true"), "a replica with no lag known is neither ahead nor behind");
        Assert.That(parameters["replica-lags"], Is.EqualTo("replica1=0 replica2=?"));
        Assert.That(parameters.ContainsKey("lag-ms"), Is.False);
    }

    [Test]
    public async Task A_promotion_is_recorded_when_observed_as_the_managers_decision_and_left_to_the_checkers_to_place_earlier()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manager-events-{Guid.NewGuid():N}.jsonl");
        try
        {
            DateTimeOffset observed;
            await using (var history = HistoryWriter.Create(path, "managed", 7, "primary"))
            {
                await Task.Delay(600);
                observed = DateTimeOffset.UtcNow;
                ManagerEventRecorder.Record(history, new RoleChange(observed, RoleChangeKind.TimelineChanged, "replica1", "1", "2", "timeline on replica1: 1 -> 2"), "repmgr");
                ManagerEventRecorder.Record(
                    history,
                    new RoleChange(observed, RoleChangeKind.Promoted, "replica1", "replica", "primary", "pg_is_in_recovery() on replica1: true -> false"),
                    "repmgr");
            }

            var events = (await HistoryReader.ReadAsync(path)).Events.OrderBy(e => e.Id).ToList();
            var (timeline, promotion) = (events[0], events[1]);
            Assert.That(promotion.Kind, Is.EqualTo(EventKind.Promote));
            Assert.That(promotion.Parameters["by"], Is.EqualTo("repmgr"));
            Assert.That(promotion.Parameters["observed-at"], Is.EqualTo(observed.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
            Assert.That(promotion.EndMicros, Is.EqualTo(promotion.StartMicros), "an instant");
            Assert.That(promotion.StartMicros, Is.GreaterThanOrEqualTo(timeline.StartMicros).And.GreaterThanOrEqualTo(500_000), "when it was recorded, not restamped earlier: PrimaryTimeline moves it back to the promoted node's first acknowledged write");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
