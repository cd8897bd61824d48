using ChaosPg.Cluster.Managers.Common;
using System.Collections.Immutable;
using ChaosPg.Cluster.Managers.Patroni;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Cluster.Tests.Managers.Patroni;

/// <summary>
/// Role changes from successive observations. The /cluster bodies marked RECORDED were answered by Patroni 3.0.2 on
/// this machine during PatroniClusterTests (leader's Patroni and PostgreSQL SIGKILLed); the ones marked CONSTRUCTED
/// follow the shape of Patroni 3.0.2's cluster_as_json for states a 300 ms poll did not catch.
/// </summary>
public class RoleChangeDetectorTests
{
    // RECORDED: right after bring-up, replicas still being made ("lag": "unknown", state "creating replica").
    private const string BringingUp = """
        {"members": [{"name": "primary", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:41005/patroni", "host": "127.0.0.1", "port": 43459, "timeline": 1}, {"name": "replica1", "role": "replica", "state": "starting", "api_url": "http://127.0.0.1:43799/patroni", "host": "127.0.0.1", "port": 38857, "lag": "unknown"}, {"name": "replica2", "role": "replica", "state": "creating replica", "api_url": "http://127.0.0.1:38745/patroni", "host": "127.0.0.1", "port": 35055, "lag": "unknown"}]}
        """;

    // RECORDED: every replica running (3.0.2 does not say "streaming"), primary leads.
    private const string AllRunning = """
        {"members": [{"name": "primary", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:41005/patroni", "host": "127.0.0.1", "port": 43459, "timeline": 1}, {"name": "replica1", "role": "replica", "state": "running", "api_url": "http://127.0.0.1:43799/patroni", "host": "127.0.0.1", "port": 38857, "timeline": 1, "lag": 0}, {"name": "replica2", "role": "replica", "state": "running", "api_url": "http://127.0.0.1:38745/patroni", "host": "127.0.0.1", "port": 35055, "timeline": 1, "lag": 0}]}
        """;

    // RECORDED: 9 s after the kill: replica1 holds the key, primary's member key has expired.
    private const string Replica1Leads = """
        {"members": [{"name": "replica1", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:43799/patroni", "host": "127.0.0.1", "port": 38857, "timeline": 1}, {"name": "replica2", "role": "replica", "state": "running", "api_url": "http://127.0.0.1:38745/patroni", "host": "127.0.0.1", "port": 35055, "timeline": 1, "lag": 0}]}
        """;

    // CONSTRUCTED: the leader key expired and no one holds it yet.
    private const string NoLeader = """
        {"members": [{"name": "replica1", "role": "replica", "state": "running", "api_url": "http://127.0.0.1:43799/patroni", "timeline": 1, "lag": 0}, {"name": "replica2", "role": "replica", "state": "running", "api_url": "http://127.0.0.1:38745/patroni", "timeline": 1, "lag": 0}]}
        """;

    // CONSTRUCTED: maintenance mode on (cluster_as_json adds "pause": true).
    private const string Paused = """
        {"members": [{"name": "primary", "role": "leader", "state": "running", "timeline": 1}, {"name": "replica1", "role": "sync_standby", "state": "running", "timeline": 1, "lag": 0}], "pause": true}
        """;

    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 22, 56, 51, TimeSpan.Zero);

    [Test]
    public void A_recorded_cluster_answer_gives_the_leader_roles_states_and_lags()
    {
        var view = PatroniClusterJson.Parse(BringingUp);
        Assert.That(view.Leader, Is.EqualTo("primary"));
        Assert.That(view.Members.Select(m => (m.Name, m.Role, m.State, m.Timeline, m.LagBytes)), Is.EqualTo(new[]
        {
            ("primary", "leader", "running", (int?)1, (long?)null),
            ("replica1", "replica", "starting", null, null),
            ("replica2", "replica", "creating replica", null, null),
        }));
        Assert.That(PatroniClusterJson.Parse(AllRunning)["replica2"]!.LagBytes, Is.EqualTo(0));
        Assert.That(view.Paused, Is.False);
        Assert.That(PatroniClusterJson.Parse(Paused).Paused, Is.True);
    }

    [Test]
    public void An_answer_without_members_is_not_a_cluster_view() =>
        Assert.That(() => PatroniClusterJson.Parse("""{"state": "running"}"""), Throws.InstanceOf<System.Text.Json.JsonException>());

    [Test]
    public void The_first_observation_of_a_led_cluster_is_a_leader_election()
    {
        var changes = RoleChangeDetector.Detect(null, Observe(0, AllRunning, ("primary", false, 1), ("replica1", true, 1)));
        Assert.That(changes.Select(c => (c.Kind, c.Node)), Is.EqualTo(new[] { (RoleChangeKind.LeaderElected, "primary") }));
        Assert.That(changes[0].Evidence, Does.Contain("patroni /cluster"));
    }

    [Test]
    public void A_leader_killed_and_replaced_between_two_polls_is_one_leader_change_then_a_promotion_on_a_new_timeline()
    {
        var before = Observe(0, AllRunning, ("primary", false, 1), ("replica1", true, 1), ("replica2", true, 1));
        // The killed primary answers nothing: its last known state is carried forward, as the observer does.
        var gone = Observe(1, AllRunning, ("replica1", true, 1), ("replica2", true, 1)).CarryForward(before);
        Assert.That(RoleChangeDetector.Detect(before, gone), Is.Empty, "a node going silent is not a role change");

        var after = Observe(9, Replica1Leads, ("replica1", false, 2), ("replica2", true, 2)).CarryForward(gone);
        var changes = RoleChangeDetector.Detect(gone, after);
        Assert.That(changes.Select(c => (c.Kind, c.Node, c.From, c.To)), Is.EqualTo(new[]
        {
            (RoleChangeKind.LeaderChanged, "replica1", "primary", "replica1"),
            (RoleChangeKind.Promoted, "replica1", "replica", "primary"),
            (RoleChangeKind.TimelineChanged, "replica1", "1", "2"),
            (RoleChangeKind.TimelineChanged, "replica2", "1", "2"),
        }));
        Assert.That(changes.All(c => c.At == T0.AddSeconds(9)), Is.True);
        Assert.That(after.WritableServers, Is.EqualTo(new[] { "primary", "replica1" }), "until the old leader answers again its last known state (writable) still counts");
    }

    [Test]
    public void A_leader_key_that_expires_with_no_successor_is_a_lost_lock_and_the_next_holder_an_election()
    {
        var led = Observe(0, AllRunning);
        var none = Observe(1, NoLeader);
        var changes = RoleChangeDetector.Detect(led, none);
        Assert.That(changes.Select(c => (c.Kind, c.Node)), Is.EqualTo(new[] { (RoleChangeKind.LockLost, "primary") }));
        Assert.That(RoleChangeDetector.Detect(none, Observe(2, Replica1Leads)).Select(c => (c.Kind, c.Node)), Is.EqualTo(new[] { (RoleChangeKind.LeaderElected, "replica1") }));
    }

    [Test]
    public void An_old_primary_that_answers_again_in_recovery_is_demoted()
    {
        var split = Observe(0, Replica1Leads, ("primary", false, 1), ("replica1", false, 2));
        var rejoined = Observe(1, Replica1Leads, ("primary", true, 2), ("replica1", false, 2));
        var changes = RoleChangeDetector.Detect(split, rejoined);
        Assert.That(changes.Select(c => (c.Kind, c.Node)), Is.EqualTo(new[] { (RoleChangeKind.Demoted, "primary"), (RoleChangeKind.TimelineChanged, "primary") }));
        Assert.That(changes[0].Evidence, Does.Contain("pg_is_in_recovery()"));
        Assert.That(split.WritableServers, Has.Length.EqualTo(2), "two servers accepting writes at once is visible in one observation");
    }

    [Test]
    public void No_REST_answer_is_no_leader_change_in_either_direction()
    {
        var led = Observe(0, AllRunning);
        var blind = new ManagerObservation(T0.AddSeconds(1), null, ImmutableDictionary<string, ServerObservation>.Empty);
        Assert.That(RoleChangeDetector.Detect(led, blind), Is.Empty);
        Assert.That(RoleChangeDetector.Detect(led, blind.CarryForward(led)), Is.Empty);
    }

    [Test]
    public void Maintenance_mode_switched_on_is_reported()
    {
        var changes = RoleChangeDetector.Detect(Observe(0, AllRunning), Observe(1, Paused));
        Assert.That(changes.Select(c => (c.Kind, c.To)), Is.EqualTo(new[] { (RoleChangeKind.MaintenanceChanged, "on") }));
    }

    [FsCheck.NUnit.Property]
    public Property Unchanged_observations_yield_no_change_and_each_recovery_flip_yields_exactly_one_promotion_or_demotion() =>
        Prop.ForAll(
            Arb.From(Gen.ListOf(Gen.Zip(Gen.Elements(true, false), Gen.Elements(true, false)), 5)),
            flags =>
            {
                var nodes = flags.Select((f, i) => (Name: $"n{i}", Before: f.Item1, After: f.Item2)).ToList();
                var before = Observe(0, AllRunning, [.. nodes.Select(n => (n.Name, n.Before, 1))]);
                var after = Observe(1, AllRunning, [.. nodes.Select(n => (n.Name, n.After, 1))]);
                var changes = RoleChangeDetector.Detect(before, after);
                return RoleChangeDetector.Detect(before, before).IsEmpty
                    && changes.Count(c => c.Kind is RoleChangeKind.Promoted or RoleChangeKind.Demoted) == nodes.Count(n => n.Before != n.After)
                    && changes.Where(c => c.Kind == RoleChangeKind.Promoted).All(c => nodes.Single(n => n.Name == c.Node) is { Before: true, After: false });
            });

    private static ManagerObservation Observe(int seconds, string json, params (string Node, bool InRecovery, int Timeline)[] servers) =>
        new(T0.AddSeconds(seconds), PatroniClusterJson.Parse(json), servers.ToImmutableDictionary(s => s.Node, s => new ServerObservation(s.InRecovery, s.Timeline)));
}
