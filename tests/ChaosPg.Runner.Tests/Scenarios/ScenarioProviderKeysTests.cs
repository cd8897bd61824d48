using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Tests.Scenarios;

/// <summary><c>cluster.network</c> and <c>cluster.manager</c>: the provider's axes as a scenario chooses them.</summary>
public sealed class ScenarioProviderKeysTests
{
    [Test]
    public void A_scenario_without_the_keys_runs_through_the_proxy_with_no_manager_as_before()
    {
        var scenario = ScenarioParser.Parse(ScenarioText.Build(), "plain.yaml").GetScenarioOrThrow();

        Assert.That((scenario.Cluster.Network, scenario.Cluster.Manager), Is.EqualTo(("proxy", "none")));
    }

    [Test]
    public void The_built_names_parse_and_are_written_back_so_a_replay_uses_them()
    {
        var scenario = ScenarioParser.Parse(ScenarioText.Build(cluster: "  replicas: 2\n  network: proxy\n  manager: none\n"), "explicit.yaml").GetScenarioOrThrow();

        var written = ScenarioWriter.Write(scenario);

        Assert.That(written, Does.Contain("  network: proxy\n").And.Contain("  manager: none\n"));
        Assert.That(ScenarioParser.Parse(written, "written.yaml").GetScenarioOrThrow(), Is.EqualTo(scenario));
    }

    [Test]
    public void A_manager_not_built_yet_is_one_error_at_its_file_line_and_column()
    {
        var result = ScenarioParser.Parse(ScenarioText.Build(cluster: "  replicas: 2\n  manager: pg_auto_failover\n"), "managed.yaml");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "managed.yaml:5:12: manager pg_auto_failover is not available yet in this version; available: none, patroni, repmgr" }));
    }

    [Test]
    public void Clusters_that_differ_only_in_manager_are_not_equal()
    {
        var plain = ScenarioParser.Parse(ScenarioText.Build(), "plain.yaml").GetScenarioOrThrow().Cluster;

        Assert.That(plain with { Manager = "patroni" }, Is.Not.EqualTo(plain));
        Assert.That(plain with { Network = "kernel" }, Is.Not.EqualTo(plain));
    }
}
