using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Scenarios;

/// <summary>Scenarios of clusters an HA manager runs: the manager's settings, its faults, targets and actions.</summary>
public sealed class ManagedScenarioTests
{
    private const string Patroni = "  replicas: 2\n  manager: patroni\n";

    [Test]
    public void Patroni_settings_in_the_manager_mapping_become_the_clusters_patroni_settings()
    {
        var scenario = Parse(ScenarioText.Build(cluster:
            "  replicas: 2\n  manager:\n    name: patroni\n    ttl: 12s\n    loop-wait: 1s\n    retry-timeout: 5s\n"
            + "    maximum-lag-on-failover: 512kB\n    synchronous-mode: strict\n    etcd-members: 3\n"));

        var patroni = scenario.Cluster.Patroni!;
        Assert.That(scenario.Cluster.Manager, Is.EqualTo("patroni"));
        Assert.That((patroni.Ttl, patroni.LoopWait, patroni.RetryTimeout), Is.EqualTo((TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))));
        Assert.That(patroni.MaximumLagOnFailover, Is.EqualTo(512 * 1024));
        Assert.That((patroni.SynchronousMode, patroni.SynchronousModeStrict), Is.EqualTo((true, true)), "strict is synchronous mode too");
        Assert.That(patroni.EtcdMembers, Is.EqualTo(3));
        Assert.That(scenario.Cluster.ApplyTo(new Cluster.Providers.ClusterRequest(Cluster.ClusterSpec.CreateBuilder().Build())).Patroni, Is.EqualTo(patroni), "the run's request carries them");
    }

    [Test]
    public void Unstated_patroni_settings_keep_the_harness_defaults_and_a_name_alone_gives_none()
    {
        var mapped = Parse(ScenarioText.Build(cluster: "  replicas: 2\n  manager:\n    name: patroni\n    synchronous-mode: on\n"));
        var named = Parse(ScenarioText.Build(cluster: Patroni));

        Assert.That(mapped.Cluster.Patroni, Is.EqualTo(new Cluster.Managers.Patroni.PatroniSettings { SynchronousMode = true }));
        Assert.That(named.Cluster.Patroni, Is.Null);
        Assert.That(mapped.Cluster, Is.Not.EqualTo(named.Cluster));
    }

    [Test]
    public void A_managed_scenario_is_written_back_to_an_equal_one()
    {
        var scenario = Parse(ScenarioText.Build(
            cluster: "  replicas: 2\n  manager:\n    name: patroni\n    ttl: 10s\n    maximum-lag-on-failover: 1MB\n    synchronous-mode: strict\n",
            schedule: "  - at: 1s\n    fault: kill\n    target: leader\n    process: all\n"
                + "  - at: 2s\n    fault: pause\n    target: replica\n    process: manager\n    for: 3s\n"
                + "  - at: 6s\n    fault: partition\n    target: leader->dcs\n    for: 2s\n"
                + "  - at: 9s\n    action: heal\n"
                + "  - at: 10s\n    action: switchover\n    candidate: replica1\n"
                + "  - at: 12s\n    action: failover\n    candidate: replica2\n"
                + "  - at: 14s\n    action: maintenance\n    state: on\n"
                + "  - at: 15s\n    fault: kill\n    target: dcs1\n"));

        string written = ScenarioWriter.Write(scenario);

        Assert.That(ScenarioParser.Parse(written, "written.yaml").GetScenarioOrThrow(), Is.EqualTo(scenario), written);
        Assert.That(written, Does.Contain("process: all").And.Contain("candidate: replica1").And.Contain("state: on").And.Contain("synchronous-mode: strict"));
    }

    [Test]
    public void Kill_and_pause_take_the_process_and_the_actions_their_keys()
    {
        var scenario = Parse(ScenarioText.Build(cluster: Patroni, schedule:
            "  - at: 1s\n    fault: kill\n    target: leader\n    process: manager\n"
            + "  - at: 2s\n    fault: pause\n    target: replica1\n"
            + "  - at: 3s\n    action: switchover\n"
            + "  - at: 4s\n    action: maintenance\n    state: off\n"));

        Assert.That(scenario.Schedule, Is.EqualTo(new ScheduleStep[]
        {
            new KillFault(TimeSpan.FromSeconds(1), "leader") { Process = NodeProcess.Manager },
            new PauseFault(TimeSpan.FromSeconds(2), "replica1"),
            new SwitchoverAction(TimeSpan.FromSeconds(3)),
            new MaintenanceAction(TimeSpan.FromSeconds(4), On: false),
        }));
    }

    [Test]
    public void Link_names_take_a_role_in_place_of_the_node_and_a_node_target_means_its_managed_links()
    {
        var scenario = Parse(ScenarioText.Build(cluster: Patroni, schedule:
            "  - at: 1s\n    fault: partition\n    target: peers->leader\n    for: 2s\n"
            + "  - at: 4s\n    fault: blackhole\n    target: replica1\n    for: 2s\n"));

        var applied = scenario.Plan().Entries.Where(e => e.Operation == PlannedOperation.Apply).Select(e => e.Step.Links).ToList();

        Assert.That(applied[0], Is.EqualTo(new[] { new Link("peers", "leader") }));
        Assert.That(applied[1].Select(l => l.ToString()), Is.EqualTo(new[] { "client->replica1", "peers->replica1", "api->replica1", "replica1->dcs" }));
    }

    [Test]
    public void Three_etcd_members_give_three_dcs_links_per_node_and_three_auxiliaries()
    {
        var scenario = Parse(ScenarioText.Build(
            cluster: "  replicas: 2\n  manager:\n    name: patroni\n    etcd-members: 3\n",
            schedule: "  - at: 1s\n    fault: partition\n    target: primary->dcs3\n    for: 2s\n  - at: 4s\n    fault: pause\n    target: dcs3\n    for: 2s\n"));

        Assert.That(scenario.Plan().IsValid, Is.True);
        Assert.That(scenario.Cluster.Topology()!.Auxiliaries, Is.EqualTo(new[] { "dcs1", "dcs2", "dcs3" }));
    }

    [Test]
    public void Heal_in_a_managed_cluster_restarts_the_agents_the_schedule_killed_and_leaves_killed_servers_to_the_manager()
    {
        var scenario = Parse(ScenarioText.Build(cluster: Patroni, schedule:
            "  - at: 1s\n    fault: kill\n    target: replica1\n    process: manager\n"
            + "  - at: 2s\n    fault: kill\n    target: replica2\n"
            + "  - at: 3s\n    fault: kill\n    target: dcs1\n"
            + "  - at: 5s\n    action: heal\n"
            + "  - at: 6s\n    fault: kill\n    target: replica1\n    process: all\n"));

        var plan = scenario.Plan();

        Assert.That(plan.IsValid, Is.True, () => string.Join("; ", plan.Issues.Select(i => i.Message)));
        var removed = plan.Entries.Where(e => e.Operation == PlannedOperation.Remove).Select(e => ((FaultStep)e.Step.Step).Target.ToString());
        Assert.That(removed, Is.EquivalentTo(new[] { "replica1", "dcs1" }), "a killed server is the manager's to restart: heal has nothing of it to undo");
    }

    [Test]
    public void The_same_step_without_a_manager_is_today_s_and_the_role_words_are_no_nodes()
    {
        var plain = ScenarioParser.Parse(ScenarioText.Build(schedule: "  - at: 1s\n    fault: partition\n    target: peers->primary\n"), "plain.yaml");

        Assert.That(plain.Errors.Select(e => e.Message), Has.Some.Contains("link peers->primary does not exist at this point"));
    }

    private static Scenario Parse(string yaml) => ScenarioParser.Parse(yaml, "managed.yaml").GetScenarioOrThrow();
}
