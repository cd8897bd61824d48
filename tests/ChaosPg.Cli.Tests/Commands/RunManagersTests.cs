using System.Text.Json;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>
/// <c>chaospg run --manager a,b</c> end to end: one scenario run under no manager and under Patroni (a real etcd and
/// real Patroni processes), with the same seed, and the suite report comparing them.
/// </summary>
[Category("Local")]
[NonParallelizable]
public sealed class RunManagersTests
{
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-managers-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task One_scenario_under_two_managers_runs_twice_with_the_same_seed_and_the_suite_compares_them()
    {
        // A schedule both can take: the replica's server paused and resumed (no promotion, which only the harness does under none).
        var scenario = Path.Combine(directory, "pause.yaml");
        await File.WriteAllTextAsync(scenario, """
            name: replica-pause-under-managers
            description: A paused replica resumes and catches up, whoever manages the cluster.
            cluster:
              replicas: 1
            workload:
              kind: bank
              writers: 2
            duration: 8s
            schedule:
              - at: 3s
                fault: pause
                target: replica1
                for: 2s
            expect:
              replica-reads: any
            """);
        var reports = Path.Combine(directory, "reports");

        var (code, output, error) = await ChaospgProcess.RunAsync(TimeSpan.FromMinutes(6), ["run", scenario, "--manager", "none,patroni", "--seed", "11", "--out", reports]);

        Assert.That(code, Is.Zero, output + error);
        var manifests = Directory.GetFiles(Path.Combine(reports, "runs"), "run.json", SearchOption.AllDirectories).Select(Read).ToList();
        Assert.That(manifests.Select(m => m.GetProperty("manager").GetString()), Is.EquivalentTo(new[] { "none", "patroni" }));
        Assert.That(manifests.Select(m => m.GetProperty("seed").GetInt64()), Is.All.EqualTo(11));
        Assert.That(Directory.GetDirectories(Path.Combine(reports, "runs", "replica-pause-under-managers")).Select(Path.GetFileName), Has.One.EndsWith("-11-patroni").And.One.EndsWith("-11"));
        var index = Directory.GetFiles(Path.Combine(reports, "suites"), "index.html", SearchOption.AllDirectories).Single();
        var html = await File.ReadAllTextAsync(index);
        Assert.That(html, Does.Contain("id=\"managers-compared\"").And.Contain("data-scenario=\"replica-pause-under-managers\""));
        Assert.That(html, Does.Contain("<th colspan=\"7\" class=\"manager\">none</th><th colspan=\"7\" class=\"manager\">patroni</th>"));
    }

    private static JsonElement Read(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.Clone();
    }
}
