using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Catalog;

/// <summary>
/// A Patroni run end to end (real etcd, real Patroni, real PostgreSQL): the leader's server paused (SIGSTOP) past the
/// TTL hangs its Patroni's HA loop, so Patroni fails over, and the run folder alone says whom it promoted and how far behind it
/// was, whether its promise held, the RTO against the scenario's bound, the manager's versions and settings, its logs
/// and its decisions on the timeline.
/// </summary>
[Category("Local")]
[NonParallelizable]
public sealed class ManagedRunChecksTests
{
    private static readonly string ScenarioFile = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "patroni-leader-paused.yaml");


    private string workRoot = string.Empty;
    private string reports = string.Empty;

    [SetUp]
    public void CreateDirectories()
    {
        workRoot = Path.Combine("/var/tmp", $"chaospg-managed-{Guid.NewGuid():N}");
        reports = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports-managed");
    }

    [TearDown]
    public void DeleteDirectories()
    {
        // A failed run's folder stays for whoever reads the failure (it is under the test's work directory).
        var keep = TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed;
        foreach (var directory in new[] { workRoot, keep ? null : reports }.OfType<string>().Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_patroni_failover_is_judged_and_reported_from_the_run_folder_alone()
    {
        var result = await new ScenarioRunner(new ScenarioRunOptions { ReportsRoot = reports, WorkRoot = workRoot }).RunFileAsync(ScenarioFile);

        Assert.That(result.Results.Outcome, Is.Not.EqualTo(RunOutcome.Error), () => result.Results.Reason());
        var folder = result.Folder;
        var history = await HistoryReader.ReadAsync(folder.HistoryPath);

        // Whom Patroni promoted, and how far behind it was when chosen, are in the history.
        var promotion = history.Events.FirstOrDefault(e => e.Kind == EventKind.Promote && ManagerEventParameters.IsManagerDecision(e));
        Assert.That(promotion, Is.Not.Null, "Patroni promoted a replica: " + string.Join("; ", history.Events.Select(EventPalette.Label)));
        Assert.That(promotion!.Target, Is.AnyOf("replica1", "replica2"));
        Assert.That(promotion.Parameters, Does.ContainKey(ManagerEventParameters.LagSource));
        Assert.That(promotion.Parameters, Does.ContainKey(ManagerEventParameters.LagBytes), promotion.Parameters[ManagerEventParameters.LagSource]);
        Assert.That(promotion.Parameters, Does.ContainKey(ManagerEventParameters.MostAdvanced));
        Assert.That(promotion.Parameters[ManagerEventParameters.SynchronousMode], Is.EqualTo("off"));
        Assert.That(promotion.Parameters[ManagerEventParameters.MaximumLagOnFailover], Is.EqualTo("1048576"));

        // The durability verdict explains itself with the promise; the RTO bound is judged with its window.
        var durability = result.Results.Suite!.Find("durability")!;
        Assert.That(durability.Evidence.Where(e => e.Id == "manager-promise").Select(e => e.Node), Does.Contain(promotion.Target));
        Assert.That(durability.Summary, Does.Contain($"patroni promoted {promotion.Target}"));
        var rto = result.Results.Expectations.Single(e => e.Checker == CheckExpectation.Rto);
        Assert.That(rto.Expected, Is.EqualTo("under 90s"));
        Assert.That(rto.Reason, Does.StartWith("RTO "), "measured, with its window and the faults before it");
        Assert.That(rto.Reason, Does.Contain("pause primary at"));
        TestContext.Out.WriteLine($"rto: {rto.Reason}");
        TestContext.Out.WriteLine($"durability: {durability.Summary}");

        // run.json has the manager's versions and settings; the run folder its logs.
        using (var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(folder.ManifestPath)))
        {
            var facts = manifest.RootElement.GetProperty("managerFacts");
            Assert.That(facts.GetProperty("name").GetString(), Is.EqualTo("patroni"));
            Assert.That(facts.GetProperty("versions").GetProperty("patroni").GetString(), Does.StartWith("3."));
            Assert.That(facts.GetProperty("versions").TryGetProperty("etcd", out _), Is.True);
            Assert.That(facts.GetProperty("settings").GetProperty("ttl").GetString(), Is.Not.Empty);
        }

        var logs = Directory.GetFiles(folder.LogsDirectory, "*.log").Select(Path.GetFileName).ToList();
        Assert.That(logs, Is.SupersetOf(new[] { "primary.log", "replica1.log", "replica2.log", "etcd1.log" }));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder.LogsDirectory, promotion.Target + ".log")), Does.Contain("promoted self to leader").Or.Contain("acquired session lock as a leader"));

        // The report is rebuilt from the folder alone and shows the manager's decisions apart from the faults.
        var report = await File.ReadAllTextAsync(await RunReportBuilder.WriteAsync(folder.Path));
        Assert.That(report, Does.Contain("Promotions by the manager"));
        Assert.That(report, Does.Contain("patroni decisions"));
        Assert.That(report, Does.Contain(EventPalette.Manager));
        Assert.That(report, Does.Contain("Manager settings"));
    }
}
