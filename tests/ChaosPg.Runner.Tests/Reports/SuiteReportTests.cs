using System.Collections.Immutable;
using System.Globalization;
using System.Xml.Linq;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Reports;

public sealed class SuiteReportTests
{
    private FixtureRun fixture = null!;
    private string suiteDirectory = null!;
    private string passedRun = null!;
    private string missingRun = null!;

    [SetUp]
    public async Task MakeASuiteOfThreeRuns()
    {
        fixture = new FixtureRun();
        suiteDirectory = Path.Combine(fixture.Root, "suites", "20261126T220000Z");

        // The fixture as is (whatever its outcome), a copy judged passed, and a run folder that never got written.
        passedRun = fixture.CopyAs("failover-sync-passed", "20261126T210100Z-43");
        var folder = new RunFolder(passedRun);
        var results = await folder.ReadResultsAsync();
        await folder.WriteResultsAsync(results with
        {
            Outcome = RunOutcome.Passed,
            Expectations = [.. results.Expectations.Select(e => e with { Met = true, Reason = null })],
        });
        missingRun = Path.Combine(fixture.Root, "runs", "crashed", "20261126T210200Z-44");
    }

    [TearDown]
    public void RemoveCopies() => fixture.Delete();

    private async Task<(RunOutcome Fixture, string Index)> WriteSuiteAsync(ExploreSummary? explore = null)
    {
        var index = await SuiteReportBuilder.WriteAsync(suiteDirectory, "nightly", [fixture.Path, passedRun, missingRun], explore);
        var outcome = (await new RunFolder(fixture.Path).ReadResultsAsync()).Outcome;
        return (outcome, index);
    }

    [Test]
    public async Task The_index_has_a_matrix_totals_and_relative_links_to_each_run_report()
    {
        var (fixtureOutcome, index) = await WriteSuiteAsync();
        var html = await File.ReadAllTextAsync(index);

        Assert.That(index, Is.EqualTo(Path.Combine(suiteDirectory, "index.html")));
        Assert.That(html, Does.Contain("id=\"matrix-table\""));
        Assert.That(html, Does.Contain("href=\"../../runs/failover-sync/20261126T210000Z-42/report.html\""));
        Assert.That(html, Does.Contain("href=\"../../runs/failover-sync-passed/20261126T210100Z-43/report.html\""));
        Assert.That(File.Exists(Path.Combine(fixture.Path, "report.html")), Is.True, "a missing run report is built");
        foreach (var checker in new[] { "durability", "phantoms", "duplicates", "convergence", "replica-reads", "split-brain", "availability" })
        {
            Assert.That(html, Does.Contain($"<th>{checker}</th>"), checker + " column");
        }

        var passed = fixtureOutcome == RunOutcome.Passed ? 2 : 1;
        var failed = fixtureOutcome == RunOutcome.Failed ? 1 : 0;
        var errors = 1 + (fixtureOutcome == RunOutcome.Error ? 1 : 0);
        Assert.That(html, Does.Contain($"<tr><th>Runs</th><td>3</td></tr><tr><th>Passed</th><td>{passed}</td></tr><tr><th>Failed</th><td>{failed}</td></tr><tr><th>Errors</th><td>{errors}</td></tr>"));
        Assert.That(html, Does.Contain("expected valid: "));
        Assert.That(html, Does.Contain("not a run folder").Or.Contain("no such run folder"), "why the crashed run did not pass");
    }

    [Test]
    public async Task The_matrix_shows_each_runs_acknowledged_and_lost_writes_RTO_and_convergence_time_also_when_rebuilt()
    {
        // Given a run whose results.json holds known figures (the matrix reads them from the run folder alone).
        var folder = new RunFolder(passedRun);
        var results = await folder.ReadResultsAsync();
        await folder.WriteResultsAsync(results with
        {
            Suite = FixtureRun.WithFigures(results.Suite!, [("durability", "acknowledged", 1234), ("durability", "lost", 3)], [("availability", "rtoMs", 4567.8), ("convergence", "convergenceMs", 890)]),
        });
        await WriteSuiteAsync();
        var index = Path.Combine(suiteDirectory, "index.html");
        File.Delete(index);

        // When the index is rebuilt from suite.json and the run folders, as `chaospg report <suite dir>` does.
        await SuiteReportBuilder.RebuildAsync(suiteDirectory);
        var html = await File.ReadAllTextAsync(index);

        // Then the run's row carries its figures beside its verdicts, and a run that never finished shows none.
        Assert.That(html, Does.Contain("<th class=\"num figure\">acknowledged</th><th class=\"num figure\">lost</th><th class=\"num figure\">RTO</th><th class=\"num figure\">converged</th>"));
        Assert.That(Row(html, "failover-sync-passed"), Does.Contain(
            "<td class=\"num figure\" data-figure=\"acknowledged\">1,234</td><td class=\"num figure\" data-figure=\"lost\">3</td>"
            + "<td class=\"num figure\" data-figure=\"RTO\">4.57 s</td><td class=\"num figure\" data-figure=\"converged\">0.89 s</td>"));
        Assert.That(Row(html, "crashed"), Does.Contain(
            "<td class=\"num figure\" data-figure=\"acknowledged\">–</td><td class=\"num figure\" data-figure=\"lost\">–</td>"
            + "<td class=\"num figure\" data-figure=\"RTO\">–</td><td class=\"num figure\" data-figure=\"converged\">–</td>"));
    }

    [Test]
    public async Task The_matrix_figures_are_the_ones_the_durability_checker_recorded_for_the_run()
    {
        await WriteSuiteAsync();
        var results = await new RunFolder(fixture.Path).ReadResultsAsync();
        var durability = results.Suite!.Find("durability")!;

        var row = Row(await File.ReadAllTextAsync(Path.Combine(suiteDirectory, "index.html")), "failover-sync/");

        Assert.That(row, Does.Contain($"data-figure=\"acknowledged\">{durability.Counts["acknowledged"].ToString("N0", CultureInfo.InvariantCulture)}</td>"));
        Assert.That(row, Does.Contain($"data-figure=\"lost\">{durability.Counts["lost"].ToString("N0", CultureInfo.InvariantCulture)}</td>"));
    }

    // The matrix row of the run whose link or name contains the text.
    private static string Row(string html, string text)
    {
        var table = html[html.IndexOf("id=\"matrix-table\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        return table.Split("<tr>").Single(r => r.Contains(text, StringComparison.Ordinal));
    }

    [Test]
    public async Task JUnit_xml_has_the_elements_and_counts_CI_systems_read()
    {
        var (fixtureOutcome, _) = await WriteSuiteAsync();

        var document = XDocument.Load(Path.Combine(suiteDirectory, "junit.xml"));
        var suites = document.Root!;
        var suite = suites.Element("testsuite")!;
        var cases = suite.Elements("testcase").ToList();
        var failed = fixtureOutcome == RunOutcome.Failed ? 1 : 0;
        var errors = 1 + (fixtureOutcome == RunOutcome.Error ? 1 : 0);

        Assert.Multiple(() =>
        {
            Assert.That(suites.Name.LocalName, Is.EqualTo("testsuites"));
            foreach (var element in new[] { suites, suite })
            {
                Assert.That((string?)element.Attribute("name"), Is.EqualTo("nightly"));
                Assert.That((int?)element.Attribute("tests"), Is.EqualTo(3));
                Assert.That((int?)element.Attribute("failures"), Is.EqualTo(failed));
                Assert.That((int?)element.Attribute("errors"), Is.EqualTo(errors));
                Assert.That(double.Parse((string)element.Attribute("time")!, CultureInfo.InvariantCulture), Is.GreaterThan(0));
            }

            Assert.That((int?)suite.Attribute("skipped"), Is.EqualTo(0));
            Assert.That(DateTime.TryParse((string?)suite.Attribute("timestamp"), CultureInfo.InvariantCulture, out _), Is.True);
            Assert.That(cases, Has.Count.EqualTo(3));
            Assert.That(cases.Select(c => (string?)c.Attribute("classname")), Has.All.StartWith("chaospg."));
            Assert.That(cases.Select(c => (string?)c.Attribute("name")), Has.All.Not.Empty);
            Assert.That(cases.Count(c => c.Element("failure") is not null), Is.EqualTo(failed));
            Assert.That(cases.Count(c => c.Element("error") is not null), Is.EqualTo(errors));
            Assert.That(cases.Count(c => c.Element("failure") is null && c.Element("error") is null), Is.EqualTo(3 - failed - errors), "a passed run has no failure or error");
        });
    }

    [Test]
    public async Task A_JUnit_failure_carries_the_lost_writes_as_evidence()
    {
        // The recorded run expected its loss and passed; judged with lost writes forbidden, the same suite fails.
        var folder = new RunFolder(fixture.Path);
        var recorded = await folder.ReadResultsAsync();
        await folder.WriteResultsAsync(RunResults.Judge(recorded.Suite!, new Dictionary<string, string>(StringComparer.Ordinal), lostWritesAllowed: false));
        var run = await folder.LoadAsync();
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Failed), "rejudged with lost writes forbidden");
        await WriteSuiteAsync();

        var failure = XDocument.Load(Path.Combine(suiteDirectory, "junit.xml")).Descendants("failure").Single();

        Assert.That((string?)failure.Attribute("message"), Is.EqualTo(run.Reason));
        Assert.That((string?)failure.Attribute("type"), Is.EqualTo("unmet-expectation"));
        foreach (var lost in run.Results!.Suite!.Find("durability")!.Evidence)
        {
            Assert.That(failure.Value, Does.Contain(lost.Id));
        }

        Assert.That(failure.Value, Does.Contain(run.Manifest!.ReplayCommand));
    }

    [Test]
    public async Task A_suite_folder_is_rebuilt_from_its_suite_json_alone()
    {
        var explore = new ExploreSummary("failover-sync", 99, 120, 14, "durability invalid: 1 acknowledged write lost", "schedule:\n  - at: 2s\n    fault: kill\n    target: primary\n", "chaospg replay reports/runs/failover-sync/x-99");
        await WriteSuiteAsync(explore);
        File.Delete(Path.Combine(suiteDirectory, "index.html"));
        File.Delete(Path.Combine(suiteDirectory, "junit.xml"));

        var index = await SuiteReportBuilder.RebuildAsync(suiteDirectory);
        var html = await File.ReadAllTextAsync(index);

        Assert.That(File.Exists(Path.Combine(suiteDirectory, "junit.xml")), Is.True);
        Assert.That(html, Does.Contain("id=\"explore\""));
        Assert.That(html, Does.Contain("<pre id=\"minimal-schedule\">schedule:\n  - at: 2s\n    fault: kill"));
        Assert.That(html, Does.Contain("chaospg replay reports/runs/failover-sync/x-99"));
        Assert.That(html, Does.Contain("href=\"../../runs/failover-sync/20261126T210000Z-42/report.html\""));
    }
}
