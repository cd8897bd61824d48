using System.Collections.Immutable;
using System.Text.Json;
using ChaosPg.Cluster.Managers.Patroni;

namespace ChaosPg.Cluster.Tests.Managers.Patroni;

public class PatroniConfigTests
{
    private static readonly PatroniNodeConfig Node = new(
        "chaospg-run1",
        "replica1",
        new LinkEndpoint("127.0.0.1", 18008),
        new LinkEndpoint("127.0.0.1", 28008),
        new LinkEndpoint("127.0.0.1", 15432),
        new LinkEndpoint("127.0.0.1", 25432),
        [new LinkEndpoint("127.0.0.1", 22379)],
        "/var/tmp/chaospg/runs/run1/nodes/replica1",
        "/usr/lib/postgresql/15/bin",
        "/var/tmp/chaospg/runs/run1/patroni/replica1/pgpass",
        "/var/tmp/chaospg/runs/run1/nodes/replica1.staged");

    [Test]
    public void The_config_advertises_the_nodes_links_and_listens_on_its_own_loopback_ports()
    {
        using var config = Render(ClusterSpec.CreateBuilder().WithReplicas(2).Build(), new PatroniSettings());
        var root = config.RootElement;
        Assert.That(root.GetProperty("scope").GetString(), Is.EqualTo("chaospg-run1"));
        Assert.That(root.GetProperty("name").GetString(), Is.EqualTo("replica1"));
        Assert.That(root.GetProperty("restapi").GetProperty("listen").GetString(), Is.EqualTo("127.0.0.1:18008"));
        Assert.That(root.GetProperty("restapi").GetProperty("connect_address").GetString(), Is.EqualTo("127.0.0.1:28008"));
        var postgresql = root.GetProperty("postgresql");
        Assert.That(postgresql.GetProperty("listen").GetString(), Is.EqualTo("127.0.0.1:15432"));
        Assert.That(postgresql.GetProperty("connect_address").GetString(), Is.EqualTo("127.0.0.1:25432"), "other members reach it through its peers link");
        Assert.That(postgresql.GetProperty("pgpass").GetString(), Does.EndWith("/patroni/replica1/pgpass"), "one pgpass per node, not one per OS user");
        var etcd = root.GetProperty("etcd3");
        Assert.That(etcd.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()), Is.EqualTo(new[] { "127.0.0.1:22379" }));
        Assert.That(etcd.GetProperty("use_proxies").GetBoolean(), Is.True, "without it Patroni discovers etcd's own URLs and bypasses the dcs links");
    }

    [Test]
    public void No_password_is_written_to_the_config_and_the_environment_carries_them()
    {
        var text = PatroniConfig.Render(ClusterSpec.CreateBuilder().Build(), new PatroniSettings(), Node);
        Assert.That(text, Does.Not.Contain("\"password\""), "no password key anywhere: the passwords reach Patroni through its environment");
        var environment = PatroniConfig.Environment("su-secret", "repl-secret", "app-secret", "rest-secret");
        Assert.That(environment["PATRONI_SUPERUSER_PASSWORD"], Is.EqualTo("su-secret"));
        Assert.That(environment["PATRONI_REPLICATION_PASSWORD"], Is.EqualTo("repl-secret"));
        Assert.That(environment["PATRONI_RESTAPI_PASSWORD"], Is.EqualTo("rest-secret"));
        Assert.That(environment["PATRONI_chaospg_app_PASSWORD"], Is.EqualTo("app-secret"), "Patroni takes the role name as written, so the variable is lower case");
    }

    [Test]
    public void The_leader_bootstraps_and_the_replicas_are_made_from_the_staged_template_copy_and_by_basebackup_when_none_is_staged()
    {
        using var config = Render(ClusterSpec.CreateBuilder().WithReplicas(1).Build(), new PatroniSettings());
        var bootstrap = config.RootElement.GetProperty("bootstrap");
        Assert.That(bootstrap.GetProperty("method").GetString(), Is.EqualTo(PatroniConfig.TemplateMethod));
        Assert.That(bootstrap.TryGetProperty("initdb", out _), Is.False);
        var postgresql = config.RootElement.GetProperty("postgresql");
        Assert.That(postgresql.GetProperty("database").GetString(), Is.EqualTo("chaospg"), "the template has no postgres database");
        Assert.That(postgresql.GetProperty("create_replica_methods").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { PatroniConfig.TemplateMethod, "basebackup" }));
        foreach (var method in new[] { bootstrap.GetProperty(PatroniConfig.TemplateMethod), postgresql.GetProperty(PatroniConfig.TemplateMethod) })
        {
            Assert.That(method.GetProperty("no_params").GetBoolean(), Is.True, "the command names the directories itself");
            Assert.That(
                method.GetProperty("command").GetString(),
                Is.EqualTo("/bin/sh -c 'test -d /var/tmp/chaospg/runs/run1/nodes/replica1.staged || { echo '\\''no copy of the template is staged (only bring-up stages one)'\\'' >&2; exit 1; }; exec mv -T /var/tmp/chaospg/runs/run1/nodes/replica1.staged /var/tmp/chaospg/runs/run1/nodes/replica1'"));
        }
    }

    [Test]
    public void The_scenarios_manager_settings_and_durability_reach_the_bootstrap_dcs_section()
    {
        var settings = new PatroniSettings
        {
            Ttl = TimeSpan.FromSeconds(20), LoopWait = TimeSpan.FromSeconds(3), RetryTimeout = TimeSpan.FromSeconds(5),
            MaximumLagOnFailover = 4096, SynchronousMode = true, SynchronousModeStrict = true,
        };
        using var config = Render(ClusterSpec.CreateBuilder().WithReplicas(2).WithSetting("work_mem", "8MB").Build(), settings);
        var dcs = config.RootElement.GetProperty("bootstrap").GetProperty("dcs");
        Assert.That(
            (dcs.GetProperty("ttl").GetInt32(), dcs.GetProperty("loop_wait").GetInt32(), dcs.GetProperty("retry_timeout").GetInt32(), dcs.GetProperty("maximum_lag_on_failover").GetInt64()),
            Is.EqualTo((20, 3, 5, 4096L)));
        Assert.That((dcs.GetProperty("synchronous_mode").GetBoolean(), dcs.GetProperty("synchronous_mode_strict").GetBoolean()), Is.EqualTo((true, true)));
        var parameters = dcs.GetProperty("postgresql").GetProperty("parameters");
        Assert.That(parameters.GetProperty("fsync").GetString(), Is.EqualTo("on"));
        Assert.That(parameters.GetProperty("full_page_writes").GetString(), Is.EqualTo("on"));
        Assert.That(parameters.GetProperty("work_mem").GetString(), Is.EqualTo("8MB"));
        Assert.That(parameters.TryGetProperty("synchronous_standby_names", out _), Is.False, "Patroni owns synchronous_standby_names");
    }

    [Test]
    public void A_sync_spec_turns_on_synchronous_mode_and_a_quorum_spec_is_refused()
    {
        using var config = Render(ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Sync).Build(), new PatroniSettings());
        Assert.That(config.RootElement.GetProperty("bootstrap").GetProperty("dcs").GetProperty("synchronous_mode").GetBoolean(), Is.True);
        var quorum = ClusterSpec.CreateBuilder().WithReplicas(2).WithReplicationMode(ReplicationMode.Quorum).Build();
        Assert.That(() => PatroniConfig.Render(quorum, new PatroniSettings(), Node), Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains("quorum"));
    }

    [TestCase(10, 4, 4, "loop_wait + 2 x retry_timeout")]
    [TestCase(2, 1, 1, "ttl must be at least 4s")]
    public void Settings_Patroni_would_misuse_are_refused_with_what_to_change(int ttl, int loopWait, int retryTimeout, string expected)
    {
        var settings = new PatroniSettings { Ttl = TimeSpan.FromSeconds(ttl), LoopWait = TimeSpan.FromSeconds(loopWait), RetryTimeout = TimeSpan.FromSeconds(retryTimeout) };
        Assert.That(settings.Validate, Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains(expected));
    }

    [Test]
    public void Strict_synchronous_mode_without_synchronous_mode_is_refused()
    {
        Assert.That(new PatroniSettings { SynchronousModeStrict = true }.Validate, Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains("synchronous_mode_strict"));
    }

    [Test]
    public void Dcs_link_names_number_the_members_only_when_there_are_several()
    {
        Assert.That(PatroniLinkNames.Dcs("primary", 1, 1), Is.EqualTo("primary->dcs"));
        Assert.That(ImmutableArray.Create(1, 2, 3).Select(i => PatroniLinkNames.Dcs("replica1", i, 3)), Is.EqualTo(new[] { "replica1->dcs1", "replica1->dcs2", "replica1->dcs3" }));
    }

    private static JsonDocument Render(ClusterSpec spec, PatroniSettings settings) =>
        JsonDocument.Parse(PatroniConfig.Render(spec, settings, Node));
}
