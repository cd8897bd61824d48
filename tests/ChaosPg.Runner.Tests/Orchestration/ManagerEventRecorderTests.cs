using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Managers.Patroni;
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
                ManagerEventRecorder.Record(history, new RoleChange(At, RoleChangeKind.LeaderChanged, "replica1", "primary", "replica1", "patroni /cluster: leader primary -> replica1"));
                ManagerEventRecorder.Record(history, new RoleChange(At, RoleChangeKind.Promoted, "replica1", "replica", "primary", "pg_is_in_recovery() on replica1: true -> false"));
                ManagerEventRecorder.Record(history, new RoleChange(At, RoleChangeKind.MaintenanceChanged, null, "off", "on", "patroni /cluster: pause off -> on"));
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
    public async Task A_promotion_is_stamped_when_the_poll_before_it_last_saw_the_server_in_recovery_so_no_write_the_promoted_server_acknowledged_precedes_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manager-events-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var history = HistoryWriter.Create(path, "managed", 7, "primary"))
            {
                await Task.Delay(600);
                var observed = DateTimeOffset.UtcNow;
                ManagerEventRecorder.Record(history, new RoleChange(observed, RoleChangeKind.TimelineChanged, "replica1", "1", "2", "timeline on replica1: 1 -> 2"), "repmgr");
                ManagerEventRecorder.Record(
                    history,
                    new RoleChange(observed, RoleChangeKind.Promoted, "replica1", "replica", "primary", "pg_is_in_recovery() on replica1: true -> false") { NotBefore = observed.AddMilliseconds(-500) },
                    "repmgr");
            }

            var events = (await HistoryReader.ReadAsync(path)).Events.OrderBy(e => e.Id).ToList();
            var (timeline, promotion) = (events[0], events[1]);
            Assert.That(promotion.Kind, Is.EqualTo(EventKind.Promote));
            Assert.That(promotion.Parameters["by"], Is.EqualTo("repmgr"));
            Assert.That(promotion.Parameters, Does.ContainKey("not-before"));
            Assert.That(promotion.EndMicros, Is.EqualTo(promotion.StartMicros), "an instant");
            Assert.That(timeline.StartMicros - promotion.StartMicros, Is.GreaterThanOrEqualTo(400_000), "stamped about 500 ms before it was recorded");
            Assert.That(promotion.StartMicros, Is.GreaterThan(0));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
