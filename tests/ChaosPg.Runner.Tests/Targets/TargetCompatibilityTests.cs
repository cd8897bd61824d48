using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Targets;

namespace ChaosPg.Runner.Tests.Targets;

public class TargetCompatibilityTests
{
    private const string ScenarioFile = "scenario.yaml";

    [Test]
    public void A_target_that_has_every_mechanism_the_schedule_needs_has_no_problem()
    {
        var problems = Check(Schedule("kill", "replica1") + Schedule("partition", "replica1->primary", at: "12s"), TargetText.Build());

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void A_scenario_node_the_target_lacks_is_named_with_the_key_to_add()
    {
        var problems = Check(string.Empty, TargetText.Build(nodes: TargetText.Node("primary", 5432) + TargetText.Node("replica1", 5433)));

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.StartWith($"{ScenarioFile}: the scenario has 2 replica(s), but {TargetText.File} has no node replica2").And.EndWith("add nodes.replica2"));
    }

    [Test]
    public void A_kill_on_a_node_without_a_start_command_names_the_fault_and_the_missing_key()
    {
        var problems = Check(Schedule("kill", "replica1"), TargetText.Build(commands: "commands:\n  kill: docker kill -s KILL {container}\n"));

        Assert.That(problems, Is.EqualTo(new[] { $"{ScenarioFile}: step 1 (kill replica1) needs nodes.replica1.commands.start in {TargetText.File}" }));
    }

    [Test]
    public void A_promotion_without_a_promote_command_is_a_problem()
    {
        var problems = Check("  - at: 3s\n    action: promote\n    target: replica1\n", TargetText.Build());

        Assert.That(problems, Is.EqualTo(new[] { $"{ScenarioFile}: step 1 (promote replica1) needs nodes.replica1.commands.promote in {TargetText.File}" }));
    }

    [Test]
    public void A_link_fault_on_a_target_without_Toxiproxy_names_the_toxiproxy_keys()
    {
        var problems = Check(Schedule("partition", "replica1->primary"), TargetText.Build(toxiproxy: string.Empty));

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.Contain("step 1 (partition replica1->primary) needs toxiproxy.url and toxiproxy.links for replica1->primary"));
    }

    [Test]
    public void A_link_fault_on_a_link_without_a_proxy_names_that_link()
    {
        var problems = Check(Schedule("partition", "replica2->primary"), TargetText.Build());

        Assert.That(problems, Is.EqualTo(new[] { $"{ScenarioFile}: step 1 (partition replica2->primary) needs toxiproxy.links.replica2->primary in {TargetText.File}" }));
    }

    [Test]
    public void Without_the_ownership_key_or_flag_nothing_may_run()
    {
        var text = TargetText.Build(top: string.Empty);

        Assert.That(Check(string.Empty, text), Has.One.Contains("say i-own-this-cluster: true in the target file or pass --i-own-this-cluster"));
        Assert.That(Check(string.Empty, text, ownershipFlag: true), Is.Empty);
    }

    [Test]
    public async Task The_compose_clusters_target_file_fits_the_async_failover_and_refuses_a_rejoin_and_a_second_replica()
    {
        var catalog = ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory)!;
        var file = Path.Combine(Path.GetDirectoryName(catalog)!, "docker", "compose.target.yaml");
        var target = await TargetParser.LoadAsync(file);

        Assert.That(TargetCompatibility.Check(await ScenarioParser.LoadAsync(Path.Combine(catalog, "async-failover-measured-rpo.yaml")), "a.yaml", target, ownershipFlag: true), Is.Empty);
        Assert.That(TargetCompatibility.Check(await ScenarioParser.LoadAsync(Path.Combine(catalog, "failover-rejoin-converges.yaml")), "f.yaml", target, ownershipFlag: true), Has.Some.Contains($"needs nodes.primary.commands.rejoin in {file}"));
        Assert.That(TargetCompatibility.Check(await ScenarioParser.LoadAsync(Path.Combine(catalog, "replica-partition-heal.yaml")), "r.yaml", target, ownershipFlag: true), Has.One.Contains("has no node replica2"));
    }

    private static string Schedule(string fault, string target, string at = "3s") =>
        $"  - at: {at}\n    fault: {fault}\n    target: {target}\n    for: 5s\n";

    private static string[] Check(string schedule, string targetText, bool ownershipFlag = false)
    {
        var scenario = ScenarioParser.Parse(
            "name: s\ndescription: d\ncluster:\n  replicas: 2\nworkload:\n  kind: bank\n  writers: 1\nduration: 20s\n" + (schedule.Length == 0 ? string.Empty : "schedule:\n" + schedule),
            ScenarioFile).GetScenarioOrThrow();
        var target = TargetParser.Parse(targetText, TargetText.File).GetTargetOrThrow();
        return [.. TargetCompatibility.Check(scenario, ScenarioFile, target, ownershipFlag)];
    }
}
