using ChaosPg.Runner.Scenarios;
using NUnit.Framework;

namespace ChaosPg.Runner.Tests.Scenarios;

public class ListAppendScenarioTests
{
    private const string File = "la.yaml";

    [Test]
    public void A_list_append_workload_reads_its_isolation_and_model()
    {
        var yaml = ScenarioText.Build(workload: "  kind: list-append\n  writers: 4\n  readers: 2\n  isolation: repeatable-read\n  consistency-model: strong-session-snapshot-isolation\n");

        var scenario = ScenarioParser.Parse(yaml, File).GetScenarioOrThrow();

        Assert.That(scenario.Workload.Isolation, Is.EqualTo("repeatable-read"));
        Assert.That(scenario.Workload.EffectiveConsistencyModel, Is.EqualTo("strong-session-snapshot-isolation"));
        Assert.That(ScenarioParser.Parse(ScenarioWriter.Write(scenario), File).GetScenarioOrThrow().Workload, Is.EqualTo(scenario.Workload), "round trip");
    }

    [TestCase("read-committed", "read-committed")]
    [TestCase("repeatable-read", "snapshot-isolation")]
    [TestCase("serializable", "serializable")]
    public void Without_a_model_the_run_is_judged_by_what_the_isolation_level_promises(string isolation, string model)
    {
        var yaml = ScenarioText.Build(workload: $"  kind: list-append\n  writers: 2\n  isolation: {isolation}\n");

        Assert.That(ScenarioParser.Parse(yaml, File).GetScenarioOrThrow().Workload.EffectiveConsistencyModel, Is.EqualTo(model));
    }

    [Test]
    public void A_single_write_workload_has_no_consistency_model()
    {
        Assert.That(ScenarioParser.Parse(ScenarioText.Build(), File).GetScenarioOrThrow().Workload.EffectiveConsistencyModel, Is.Null);
    }

    [TestCase("  kind: bank\n  writers: 2\n  isolation: serializable\n", "only a list-append workload takes isolation")]
    [TestCase("  kind: list-append\n  writers: 2\n  isolation: snapshot\n", "isolation 'snapshot' is unknown")]
    [TestCase("  kind: list-append\n  writers: 2\n  consistency-model: linearizable\n", "consistency model 'linearizable' is unknown")]
    public void A_wrong_transaction_setting_is_refused_with_what_to_write(string workload, string message)
    {
        var result = ScenarioParser.Parse(ScenarioText.Build(workload: workload), File);

        Assert.That(result.IsValid, Is.False);
        Assert.That(string.Join("\n", result.Errors.Select(e => e.ToString())), Does.Contain(message));
    }

    [Test]
    public void The_transactions_checker_can_be_expected_any()
    {
        var yaml = ScenarioText.Build(workload: "  kind: list-append\n  writers: 2\n", extra: "expect:\n  transactions: any\n");

        Assert.That(ScenarioParser.Parse(yaml, File).GetScenarioOrThrow().Expect.For("transactions"), Is.EqualTo(ExpectedVerdict.Any));
    }
}
