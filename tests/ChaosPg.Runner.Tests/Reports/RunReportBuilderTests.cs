using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Reports;

public sealed class RunReportBuilderTests
{
    private FixtureRun fixture = null!;

    [SetUp]
    public void CopyFixture() => fixture = new FixtureRun();

    [TearDown]
    public void RemoveCopy() => fixture.Delete();

    [Test]
    public async Task A_report_built_from_the_run_folder_has_every_section()
    {
        var path = await RunReportBuilder.WriteAsync(fixture.Path);
        var html = await File.ReadAllTextAsync(path);
        var run = await new RunFolder(fixture.Path).LoadAsync();

        Assert.That(path, Is.EqualTo(Path.Combine(fixture.Path, "report.html")));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain($"class=\"banner {run.Outcome.ToString().ToLowerInvariant()}\""), "verdict banner");
            Assert.That(html, Does.Contain(System.Net.WebUtility.HtmlEncode(run.Reason)), "the banner's one-line reason");
            Assert.That(html, Does.Contain(run.Manifest!.Scenario).And.Contain(run.Manifest.PostgresVersion).And.Contain(run.Manifest.Backend), "metadata");
            Assert.That(html, Does.Contain(run.Manifest.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)), "seed");
            Assert.That(html, Does.Contain(run.Manifest.GitCommit!), "git commit");
            Assert.That(html, Does.Contain("id=\"replay\">" + System.Net.WebUtility.HtmlEncode(run.Manifest.ReplayCommand)), "replay command");
            Assert.That(html, Does.Contain("aria-label=\"timeline of faults and actions\""), "timeline");
            Assert.That(html, Does.Contain("id=\"throughput-write\"").And.Contain("id=\"throughput-read\""), "throughput");
            Assert.That(html, Does.Contain("id=\"latency-table\"").And.Contain("latency of ok operations over time"), "latency");
            Assert.That(html, Does.Contain("id=\"lag-ms\"").And.Contain("id=\"replication-table\""), "replication lag");
            Assert.That(html, Does.Contain("id=\"verdict-table\""), "verdict table");
            Assert.That(html, Does.Contain("id=\"figures-table\"").And.Contain("id=\"staleness-table\""), "RPO, RTO, staleness");
            Assert.That(html, Does.Contain("id=\"events-table\""), "events");
            Assert.That(html, Does.Contain("href=\"history.jsonl\"").And.Contain("href=\"snapshots.json\"").And.Contain("href=\"run.json\""), "links");
        });
        foreach (var checker in run.Results!.Suite!.Results)
        {
            Assert.That(html, Does.Contain($"<td>{checker.Checker}</td>"), $"verdict row of {checker.Checker}");
        }

        foreach (var log in run.LogFiles)
        {
            Assert.That(html, Does.Contain($"href=\"{log}\""), "link to " + log);
        }

        foreach (var e in run.History!.Events)
        {
            Assert.That(html, Does.Contain($"<td class=\"num\">{e.Id}</td>"), $"event {e.Id} in the events table");
        }
    }

    [Test]
    public async Task Lost_writes_are_named_with_their_synchronous_replication_warning()
    {
        var run = await new RunFolder(fixture.Path).LoadAsync();
        var lost = run.Results!.Suite!.Find("durability")!.Evidence;
        Assert.That(lost, Is.Not.Empty, "the recorded fixture holds lost writes");
        Assert.That(lost.Any(e => e.Notices.Any(n => n.IsSynchronousReplicationCancel)), Is.True, "the recorded fixture's lost writes carry the sync-replication warning");

        var html = RunReportBuilder.Build(run);

        Assert.That(html, Does.Contain("id=\"evidence-durability\""));
        foreach (var e in lost)
        {
            Assert.That(html, Does.Contain($"<code>{e.Id}</code>"), "lost write " + e.Id);
        }

        Assert.That(html, Does.Contain("<span class=\"notice sync\">WARNING 01000: canceling wait for synchronous replication"));
    }

    [Test]
    public async Task A_target_run_names_its_target_file_and_hash_in_the_run_table_and_other_runs_have_no_such_row()
    {
        var run = await new RunFolder(fixture.Path).LoadAsync();
        var target = run with { Manifest = run.Manifest! with { Backend = "target", TargetFile = "/etc/chaospg/staging.yaml", TargetSha256 = "0123456789abcdef" } };

        Assert.That(RunReportBuilder.Build(target), Does.Contain("<tr><th>Target file</th><td>/etc/chaospg/staging.yaml (sha256 0123456789abcdef)</td></tr>"));
        Assert.That(RunReportBuilder.Build(run), Does.Not.Contain("Target file"));
    }

    [Test]
    public async Task A_password_in_run_data_never_reaches_the_report()
    {
        var run = await new RunFolder(fixture.Path).LoadAsync();
        const string Secret = "s3cret-Pa55";
        var leaky = run with
        {
            Manifest = run.Manifest! with { Description = $"conninfo host=127.0.0.1 password={Secret} user=chaospg" },
            Results = run.Results! with { Error = $"could not connect: Host=127.0.0.1;Port=5432;Password={Secret};Database=chaos" },
        };

        var html = RunReportBuilder.Build(leaky);

        Assert.That(html, Does.Not.Contain(Secret));
        Assert.That(html, Does.Contain("Password=" + SecretRedactor.Mask).And.Contain("password=" + SecretRedactor.Mask));
    }

    [Test]
    public async Task A_password_in_an_operation_error_of_the_history_is_redacted()
    {
        // The recorded fixture holds no password, so this copy gets a failed write whose error carries one.
        await File.AppendAllLinesAsync(Path.Combine(fixture.Path, "history.jsonl"),
        [
            """{"type":"invoke","operationId":999999,"client":"w1","kind":"write","node":"primary","link":"client-\u003Eprimary","writeId":"injected-1","seq":999999,"table":"chaos_transfers","atMicros":3000000}""",
            """{"type":"complete","operationId":999999,"outcome":"fail","error":{"sqlState":"08001","errorClass":"connection-refused","message":"connection refused: Host=127.0.0.1;Port=54331;Username=chaospg;Password=hunter2-fixture-secret"},"atMicros":3518000}""",
        ]);

        var html = await File.ReadAllTextAsync(await RunReportBuilder.WriteAsync(fixture.Path));

        Assert.That(html, Does.Not.Contain("hunter2"));
        Assert.That(html, Does.Contain("Password=" + SecretRedactor.Mask));
    }

    [Test]
    public async Task A_commit_that_came_back_ok_only_because_the_client_cancelled_it_at_the_stop_is_called_out()
    {
        // A copy of the fixture with a write that waited for a synchronous standby until the workload stopped.
        await File.AppendAllLinesAsync(Path.Combine(fixture.Path, "history.jsonl"),
        [
            """{"type":"invoke","operationId":999998,"client":"w1","kind":"write","node":"primary","link":"client-\u003Eprimary","writeId":"hung-1","seq":999998,"table":"chaos_transfers","atMicros":3000000}""",
            """{"type":"complete","operationId":999998,"outcome":"ok","notices":[{"severity":"WARNING","sqlState":"01000","message":"canceling wait for synchronous replication due to user request","detail":"The transaction has already committed locally, but might not have been replicated to the standby."}],"cancelledAtStop":true,"atMicros":9000000}""",
        ]);

        var html = await File.ReadAllTextAsync(await RunReportBuilder.WriteAsync(fixture.Path));

        Assert.That(html, Does.Contain("id=\"cancelled-at-stop-summary\""));
        Assert.That(html, Does.Contain("1 commits came back ok only because the client cancelled them then"));
        Assert.That(html, Does.Contain("ok, only because the client cancelled it (sync-replication warning)"));
    }

    [Test]
    public async Task A_run_whose_operations_all_came_back_before_the_stop_says_so()
    {
        var html = await File.ReadAllTextAsync(await RunReportBuilder.WriteAsync(fixture.Path));

        Assert.That(html, Does.Contain("None: every operation came back before the workload stopped."));
    }

    [Test]
    public async Task Markup_in_run_data_is_encoded_not_interpreted()
    {
        var run = await new RunFolder(fixture.Path).LoadAsync();
        var hostile = run with { Manifest = run.Manifest! with { Description = "<script>alert(1)</script><img src=x>" } };

        var html = RunReportBuilder.Build(hostile);

        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<img"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    [Test]
    public async Task A_run_folder_with_only_a_history_still_gets_a_report_naming_what_is_missing()
    {
        foreach (var file in new[] { "run.json", "results.json", "snapshots.json", "replication.jsonl", "scenario.yaml" })
        {
            File.Delete(Path.Combine(fixture.Path, file));
        }

        Directory.Delete(Path.Combine(fixture.Path, "logs"), recursive: true);

        var html = await File.ReadAllTextAsync(await RunReportBuilder.WriteAsync(fixture.Path));

        Assert.That(html, Does.Contain("class=\"banner error\""));
        Assert.That(html, Does.Contain("run.json is missing").And.Contain("results.json is missing").And.Contain("snapshots.json is missing"));
        Assert.That(html, Does.Contain("aria-label=\"timeline of faults and actions\""), "the history alone still draws the timeline");
    }

    [Test]
    public void A_folder_that_is_not_a_run_is_rejected()
    {
        var empty = Directory.CreateDirectory(Path.Combine(fixture.Root, "empty")).FullName;

        Assert.ThrowsAsync<InvalidDataException>(() => RunReportBuilder.WriteAsync(empty));
        Assert.ThrowsAsync<DirectoryNotFoundException>(() => RunReportBuilder.WriteAsync(Path.Combine(fixture.Root, "absent")));
    }

    [Test]
    public async Task An_error_run_shows_its_error_in_the_banner()
    {
        var run = await new RunFolder(fixture.Path).LoadAsync();
        var failed = run with { Results = RunResults.Failure("cluster did not start: replica1 exited with code 1\nsecond line", lostWritesAllowed: false) };

        var html = RunReportBuilder.Build(failed);

        Assert.That(html, Does.Contain("<b>ERROR</b>the run could not complete: cluster did not start: replica1 exited with code 1</div>"));
        Assert.That(html, Does.Contain("id=\"run-error\""));
    }

    [Test]
    public void Redaction_masks_every_spelling_of_a_password()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SecretRedactor.Redact("Host=h;Password=abc;Port=1"), Is.EqualTo("Host=h;Password=***;Port=1"));
            Assert.That(SecretRedactor.Redact("host=h password='a b' user=u"), Is.EqualTo("host=h password=*** user=u"));
            Assert.That(SecretRedactor.Redact("PGPASSWORD=xyz psql"), Is.EqualTo("PGPASSWORD=*** psql"));
            Assert.That(SecretRedactor.Redact("Pwd = \"q;w\" end"), Is.EqualTo("Pwd = *** end"));
            Assert.That(SecretRedactor.Redact("no secret here"), Is.EqualTo("no secret here"));
        });
    }
}
