using ChaosPg.Runner.Scenarios;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace ChaosPg.Runner.Tests.Scenarios;

public class ScenarioRoundTripTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property A_written_scenario_parses_back_to_the_same_scenario() =>
        Prop.ForAll(Arb.From(ScenarioGenerators.Scenario()), scenario =>
        {
            Assert.That(ScenarioValidator.Validate(scenario), Is.Empty, "the generator must produce valid scenarios");
            string yaml = ScenarioWriter.Write(scenario);

            ScenarioParseResult result = ScenarioParser.Parse(yaml, "written.yaml");

            Assert.That(result.Errors, Is.Empty, () => yaml + string.Join("\n", result.Errors));
            Assert.That(result.Scenario, Is.EqualTo(scenario), () => yaml);
        });

    [Test]
    public void Generated_schedules_are_not_trivial()
    {
        var scenarios = ScenarioGenerators.Scenario().Sample(200, 50);

        Assert.That(scenarios.Average(s => s.Schedule.Length), Is.GreaterThan(3));
        Assert.That(scenarios.SelectMany(s => s.Schedule).Select(step => step.Keyword).Distinct().Count(), Is.EqualTo(13));
    }
}
