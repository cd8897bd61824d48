using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Workloads;

namespace ChaosPg.Runner.Tests.Workloads;

public class WorkloadOptionsTests
{
    [Test]
    public void A_scenario_workload_becomes_the_options_of_one_run()
    {
        var scenario = new ScenarioWorkload("bank", 3, 2, 150, TimeSpan.FromSeconds(2));

        var options = WorkloadOptions.For(scenario, 99, "Host=127.0.0.1;Username=app");

        Assert.That(options, Is.EqualTo(new WorkloadOptions("bank", 3, 2, 150, TimeSpan.FromSeconds(2), 99, "Host=127.0.0.1;Username=app")));
    }
}
