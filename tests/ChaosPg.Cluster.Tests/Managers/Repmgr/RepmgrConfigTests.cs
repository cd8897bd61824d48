using ChaosPg.Cluster.Managers.Repmgr;

namespace ChaosPg.Cluster.Tests.Managers.Repmgr;

public class RepmgrConfigTests
{
    private static readonly PgBinaries Binaries = new("/usr/lib/postgresql/15/bin", "test", "15.20", 15);
    private static readonly RepmgrMember Replica = new(2, "replica1", "/w/nodes/replica1", "/w/repmgr/replica1", 40002, "/w/logs/replica1.log");

    [Test]
    public void Repmgr_conf_fails_over_automatically_with_this_files_promote_and_follow_commands_and_a_pid_file_of_its_own()
    {
        var conf = RepmgrConfig.RepmgrConf(Replica, new RepmgrSettings(), Binaries);

        Assert.That(conf, Does.Contain("node_id='2'\n").And.Contain("node_name='replica1'\n"));
        Assert.That(conf, Does.Contain("failover='automatic'\n"));
        Assert.That(conf, Does.Contain("promote_command='/usr/lib/postgresql/15/bin/repmgr standby promote -f /w/repmgr/replica1/repmgr.conf'\n"));
        Assert.That(conf, Does.Contain("follow_command='/usr/lib/postgresql/15/bin/repmgr standby follow -f /w/repmgr/replica1/repmgr.conf --upstream-node-id=%n'\n"));
        Assert.That(conf, Does.Contain("repmgrd_pid_file='/w/repmgr/replica1/repmgrd.pid'\n"));
        Assert.That(conf, Does.Contain("reconnect_attempts='2'\n").And.Contain("reconnect_interval='1'\n").And.Contain("monitor_interval_secs='1'\n"));
        Assert.That(conf, Does.Contain("conninfo='service=replica1 user=postgres dbname=chaospg connect_timeout=2'\n"), "named by service: each member's service file says where");
        Assert.That(conf, Does.Not.Contain("password"));
    }

    [Test]
    public void The_server_starts_with_its_config_outside_the_data_directory_so_pg_rewind_cannot_carry_another_nodes_port_into_it()
    {
        var conf = RepmgrConfig.RepmgrConf(Replica, new RepmgrSettings(), Binaries);
        Assert.That(conf, Does.Contain("service_start_command='/usr/lib/postgresql/15/bin/pg_ctl -w -t 120 -D /w/nodes/replica1 -o \"-c config_file=/w/repmgr/replica1/postgresql.conf\" -l /w/logs/replica1.log start'\n"));
        Assert.That(Replica.PostgresqlConf, Does.Not.StartWith(Replica.DataDirectory));

        var postgresql = RepmgrConfig.PostgresqlConf(ClusterSpec.CreateBuilder().Build(), Replica);
        Assert.That(postgresql, Does.Contain("port = '40002'\n").And.Contain("listen_addresses = '127.0.0.1'\n").And.Contain("shared_preload_libraries = 'repmgr'\n"));
        Assert.That(postgresql, Does.Contain("fsync = 'on'\n"));
    }

    [Test]
    public void A_service_file_names_each_member_at_the_port_this_member_must_use()
    {
        var file = RepmgrConfig.ServiceFile([("primary", 41001), ("replica1", 40002), ("witness", 41003)]);

        Assert.That(file, Does.Contain("[primary]\nhost=127.0.0.1\nport=41001\n").And.Contain("[replica1]\nhost=127.0.0.1\nport=40002\n").And.Contain("[witness]\nhost=127.0.0.1\nport=41003\n"));
    }

    [Test]
    public void Settings_repmgr_would_misread_are_refused_and_the_facts_use_the_scenario_and_repmgr_names()
    {
        Assert.That(() => new RepmgrSettings { ReconnectAttempts = 0 }.Validate(), Throws.TypeOf<ClusterConfigurationException>());
        Assert.That(new RepmgrSettings { Witness = true }.Describe(), Does.ContainKey("witness").WithValue("true").And.ContainKey("reconnect_attempts").WithValue("2"));
    }
}
