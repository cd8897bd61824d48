using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Reports;

/// <summary>
/// The suite report's "managers compared" section, built from run folders alone. The runs are copies of the
/// committed recorded run (a real run whose harness promoted replica1), with run.json's manager and results.json's
/// figures set by each test: a test double of runs under managers, so the section's arithmetic can be checked exactly.
/// </summary>
public sealed class ManagersComparisonTests
{
    private FixtureRun fixture = null!;

    [SetUp]
    public void CopyTheFixture() => fixture = new FixtureRun();

    [TearDown]
    public void RemoveCopies() => fixture.Delete();

    [Test]
    public async Task One_row_per_scenario_run_under_two_managers_with_each_managers_RTO_loss_split_brain_promotion_and_verdicts_also_when_rebuilt()
    {
        // Given the same scenario run twice under patroni and once under repmgr, and another scenario under one manager only.
        string[] runs =
        [
            await AsRunAsync("20261207T010000Z-1-patroni", "patroni", rtoMs: 4000, lost: 0, overlapMs: null),
            await AsRunAsync("20261207T010100Z-1-repmgr", "repmgr", rtoMs: 9000, lost: 12, overlapMs: 2500),
            await AsRunAsync("20261207T010200Z-2-patroni", "patroni", rtoMs: 6000, lost: 3, overlapMs: null),
            fixture.CopyAs("alone", "20261207T010300Z-3"),
        ];
        var suite = Path.Combine(fixture.Root, "suites", "compare");
        await SuiteReportBuilder.WriteAsync(suite, "compare", runs);
        File.Delete(Path.Combine(suite, SuiteReportBuilder.IndexFileName));

        // When the suite is rebuilt from its folder (what chaospg report does).
        var html = await File.ReadAllTextAsync(await SuiteReportBuilder.RebuildAsync(suite));

        // Then the comparison has the scenario run under both managers, and not the one run under a single manager.
        Assert.That(html, Does.Contain("id=\"managers-compared\""));
        var table = html[html.IndexOf("id=\"managers-table\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.That(table, Does.Contain("<th colspan=\"7\" class=\"manager\">patroni</th><th colspan=\"7\" class=\"manager\">repmgr</th>"));
        Assert.That(table, Does.Contain("data-scenario=\"failover-sync\""));
        Assert.That(table, Does.Not.Contain("data-scenario=\"alone\""));

        var patroni = Cells(table, "patroni");
        Assert.That(patroni["runs"], Does.StartWith("2: "));
        Assert.That(patroni["runs"], Does.Contain("href=\"../../runs/failover-sync/20261207T010000Z-1-patroni/report.html\""));
        Assert.That(patroni["rto-median"], Is.EqualTo("5.00 s"), "median of 4 s and 6 s");
        Assert.That(patroni["rto-max"], Is.EqualTo("6.00 s"));
        Assert.That(patroni["lost"], Is.EqualTo("3"));
        Assert.That(patroni["split-brain"], Is.EqualTo("–"));
        Assert.That(patroni["promoted"], Is.EqualTo("replica1 x2"), "the recorded run's promotion");
        Assert.That(patroni["verdicts"], Does.Contain("all met"));

        var repmgr = Cells(table, "repmgr");
        Assert.That(repmgr["rto-median"], Is.EqualTo("9.00 s"));
        Assert.That(repmgr["lost"], Is.EqualTo("12"));
        Assert.That(repmgr["split-brain"], Is.EqualTo("2.50 s"));
        Assert.That(repmgr["verdicts"], Does.Contain("split-brain x1").And.Contain("1 unmet"));
    }

    [Test]
    public async Task A_suite_under_one_manager_has_no_comparison()
    {
        string[] runs = [await AsRunAsync("20261207T010000Z-1-patroni", "patroni", 4000, 0, null), await AsRunAsync("20261207T010100Z-2-patroni", "patroni", 5000, 0, null)];
        var suite = Path.Combine(fixture.Root, "suites", "one");

        var html = await File.ReadAllTextAsync(await SuiteReportBuilder.WriteAsync(suite, "one", runs));

        Assert.That(html, Does.Not.Contain("managers-compared"));
    }

    // A copy of the fixture as a run of failover-sync under the manager, with these figures; split brain makes it invalid and failed.
    private async Task<string> AsRunAsync(string name, string manager, double rtoMs, long lost, double? overlapMs)
    {
        var path = fixture.CopyAs("failover-sync", name);
        var folder = new RunFolder(path);
        var manifest = await folder.ReadManifestAsync();
        await folder.WriteManifestAsync(manifest with { Scenario = "failover-sync", Manager = manager });
        var results = await folder.ReadResultsAsync();
        var suite = FixtureRun.WithFigures(
            results.Suite!,
            [("durability", "lost", lost)],
            [("availability", "rtoMs", rtoMs), .. overlapMs is { } o ? new[] { ("split-brain", "overlapMs", o) } : []]);
        suite = suite with { Results = [.. suite.Results.Select(r => r.Checker == "split-brain" ? r with { Verdict = overlapMs is null ? Verdict.Valid : Verdict.Invalid } : r)] };
        await folder.WriteResultsAsync(results with
        {
            Suite = suite,
            Outcome = overlapMs is null ? RunOutcome.Passed : RunOutcome.Failed,
            Expectations = [.. results.Expectations.Select(e => e with { Met = overlapMs is null, Reason = null })],
        });
        return path;
    }

    // The cells of the manager's group in the table's one row, by data-figure.
    private static Dictionary<string, string> Cells(string table, string manager)
    {
        var start = table.IndexOf($"data-manager=\"{manager}\"", StringComparison.Ordinal);
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in table[start..].Split("<td").Take(7))
        {
            var key = part[(part.IndexOf("data-figure=\"", StringComparison.Ordinal) + 13)..];
            key = key[..key.IndexOf('"', StringComparison.Ordinal)];
            var value = part[(part.IndexOf('>', StringComparison.Ordinal) + 1)..];
            cells[key] = value[..value.LastIndexOf("</td>", StringComparison.Ordinal)];
        }

        return cells;
    }
}
