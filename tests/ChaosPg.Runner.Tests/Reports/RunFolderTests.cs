using System.Collections.Immutable;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Tests.Reports;

public sealed class RunFolderTests
{
    private string root = null!;

    [SetUp]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("chaospg-runs-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public void A_new_run_folder_is_named_by_scenario_utc_time_and_seed()
    {
        var folder = RunFolder.Create(root, "failover-sync", new DateTimeOffset(2026, 11, 26, 23, 4, 5, TimeSpan.FromHours(2)), 42);

        Assert.That(folder.Path, Is.EqualTo(Path.Combine(root, "runs", "failover-sync", "20261126T210405Z-42")));
        Assert.That(Directory.Exists(folder.LogsDirectory), Is.True);
        Assert.That(folder.LogPath("replica1"), Is.EqualTo(Path.Combine(folder.Path, "logs", "replica1.log")));
    }

    [Test]
    public async Task Manifest_and_results_round_trip_with_kebab_enums()
    {
        var folder = RunFolder.Create(root, "s", DateTimeOffset.UnixEpoch, 7);
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var manifest = new RunManifest("s", "d", "scenarios/s.yaml", 7, "docker", "15.14", ToxiproxyKind.ToxiproxyServer, "2.12.0", "abc", RunManifest.ReplayCommandFor(folder.Path), started, started.AddSeconds(90), "quorum", 2, 0);
        var suite = new SuiteResult(Verdict.Valid, [new CheckerResult("durability", Verdict.Valid, "ok", ImmutableSortedDictionary<string, long>.Empty.Add("lost", 0), ImmutableSortedDictionary<string, double>.Empty, [])]);
        var results = RunResults.Judge(suite, new Dictionary<string, string> { ["durability"] = "valid" }, lostWritesAllowed: false);

        await folder.WriteManifestAsync(manifest);
        await folder.WriteResultsAsync(results);

        var json = await File.ReadAllTextAsync(folder.ManifestPath);
        Assert.That(json, Does.Contain("\"proxyKind\": \"toxiproxy-server\"").And.Contain("\"replayCommand\": \"chaospg replay "));
        Assert.That(await File.ReadAllTextAsync(folder.ResultsPath), Does.Contain("\"outcome\": \"passed\"").And.Contain("\"verdict\": \"valid\""));
        Assert.That(await folder.ReadManifestAsync(), Is.EqualTo(manifest));
        Assert.That(manifest.Duration, Is.EqualTo(TimeSpan.FromSeconds(90)));
        var loaded = await folder.ReadResultsAsync();
        Assert.That(loaded.Outcome, Is.EqualTo(RunOutcome.Passed));
        Assert.That(loaded.Expectations, Is.EqualTo(results.Expectations));
    }

    [Test]
    public async Task The_manifest_records_the_network_mode_the_manager_and_a_target_runs_file_and_hash()
    {
        var folder = RunFolder.Create(root, "s", DateTimeOffset.UnixEpoch, 7);
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var manifest = new RunManifest("s", "d", "s.yaml", 7, "target", "15.14", ToxiproxyKind.External, null, null, "r", started, null, "async", 1, null, Network: "proxy", Manager: "none", TargetFile: "/t/staging.yaml", TargetSha256: "ab12");

        await folder.WriteManifestAsync(manifest);

        var json = await File.ReadAllTextAsync(folder.ManifestPath);
        Assert.That(json, Does.Contain("\"network\": \"proxy\"").And.Contain("\"manager\": \"none\""));
        Assert.That(json, Does.Contain("\"targetFile\": \"/t/staging.yaml\"").And.Contain("\"targetSha256\": \"ab12\""));
        Assert.That(await folder.ReadManifestAsync(), Is.EqualTo(manifest));
    }

    [Test]
    public async Task A_kernel_run_records_that_no_proxy_carried_its_links()
    {
        var folder = RunFolder.Create(root, "s", DateTimeOffset.UnixEpoch, 7);
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var manifest = new RunManifest("s", "d", "s.yaml", 7, "local", "15.14", ProxyKind: null, null, null, "r", started, null, "async", 1, null, Network: "kernel", Manager: "none");

        await folder.WriteManifestAsync(manifest);

        Assert.That(await File.ReadAllTextAsync(folder.ManifestPath), Does.Not.Contain("proxyKind"), "no proxy kind (null is left out), not the embedded proxy the run never started");
        Assert.That(await folder.ReadManifestAsync(), Is.EqualTo(manifest));
    }

    [Test]
    public async Task A_run_json_from_before_network_and_manager_reads_as_proxy_and_none()
    {
        var folder = RunFolder.Create(root, "s", DateTimeOffset.UnixEpoch, 7);
        await File.WriteAllTextAsync(folder.ManifestPath, """
            {
              "scenario": "s", "description": "d", "scenarioFile": "s.yaml", "seed": 7, "backend": "local",
              "postgresVersion": "15.14", "proxyKind": "embedded", "proxyVersion": null, "gitCommit": null,
              "replayCommand": "chaospg replay x", "startedUtc": "2026-01-02T03:04:05+00:00", "endedUtc": null,
              "replicationMode": "async", "replicas": 1, "exitStatus": 0
            }
            """);

        var manifest = await folder.ReadManifestAsync();

        Assert.That((manifest.Network, manifest.Manager), Is.EqualTo(((string?)null, (string?)null)));
        Assert.That((manifest.NetworkMode, manifest.ManagerName), Is.EqualTo(("proxy", "none")));
    }

    [Test]
    public void Expectations_are_judged_against_verdicts()
    {
        var lossy = new CheckerResult("durability", Verdict.Invalid, "2 lost", ImmutableSortedDictionary<string, long>.Empty, ImmutableSortedDictionary<string, double>.Empty, []);
        var available = new CheckerResult("availability", Verdict.Unknown, "no RTO", ImmutableSortedDictionary<string, long>.Empty, ImmutableSortedDictionary<string, double>.Empty, []);
        var suite = new SuiteResult(Verdict.Invalid, [lossy, available]);

        var strict = RunResults.Judge(suite, new Dictionary<string, string> { ["durability"] = "valid", ["availability"] = "any" }, lostWritesAllowed: false);
        var allowed = RunResults.Judge(suite, new Dictionary<string, string> { ["durability"] = "valid", ["availability"] = "any" }, lostWritesAllowed: true);
        var missing = RunResults.Judge(suite, new Dictionary<string, string> { ["split-brain"] = "valid" }, lostWritesAllowed: false);

        Assert.Multiple(() =>
        {
            Assert.That(strict.Outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(strict.Reason(), Does.StartWith("1 of 2 expectations unmet: durability expected valid, got invalid (2 lost)"));
            Assert.That(allowed.Outcome, Is.EqualTo(RunOutcome.Passed));
            Assert.That(missing.Expectations.Single(e => e.Checker == "split-brain").Met, Is.False, "a checker that did not run cannot meet an expectation");
            Assert.That(missing.Expectations.Single(e => e.Checker == "durability").Expected, Is.EqualTo("valid"), "an unnamed checker is expected valid");
            Assert.That(CheckExpectation.Judge("phantoms", "invalid", lossy with { Checker = "phantoms" }, false).Met, Is.True);
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckExpectation.Judge("durability", "maybe", lossy, false));
    }

    [Test]
    public async Task Replication_samples_survive_a_torn_last_line()
    {
        var path = Path.Combine(root, ReplicationSample.FileName);
        var samples = new[]
        {
            new ReplicationSample(1_000, "replica1", "replica", 4096, 1.5, "streaming"),
            new ReplicationSample(2_000, "replica2", "replica", null, null, "disconnected"),
        };
        await using (var writer = ReplicationSampleWriter.Create(path))
        {
            foreach (var s in samples)
            {
                writer.Append(s);
            }

            await writer.DisposeAsync();
        }

        await File.AppendAllTextAsync(path, "{\"atMicros\":3000,\"node\":\"repl");

        Assert.That(await ReplicationSampleReader.ReadAsync(path), Is.EqualTo(samples));
    }

    [Test]
    public async Task A_broken_line_before_the_end_is_an_error_with_its_line_number()
    {
        var path = Path.Combine(root, ReplicationSample.FileName);
        await File.WriteAllTextAsync(path, "not json\n{\"atMicros\":1,\"node\":\"replica1\",\"role\":\"replica\",\"state\":\"streaming\"}\n");

        var error = Assert.ThrowsAsync<System.Text.Json.JsonException>(() => ReplicationSampleReader.ReadAsync(path));

        Assert.That(error!.Message, Does.Contain(":1: not a replication sample"));
    }

    [Test]
    public async Task Loading_tolerates_missing_optional_files()
    {
        var fixture = new FixtureRun();
        try
        {
            File.Delete(Path.Combine(fixture.Path, "replication.jsonl"));
            File.WriteAllText(Path.Combine(fixture.Path, "snapshots.json"), "{ broken");

            var run = await new RunFolder(fixture.Path).LoadAsync();

            Assert.That(run.Replication, Is.Empty);
            Assert.That(run.FinalState, Is.Null);
            Assert.That(run.Problems, Has.Some.StartsWith("snapshots.json could not be read"));
            Assert.That(run.Problems, Has.None.Contains("replication"), "replication.jsonl is optional");
            Assert.That(run.History, Is.Not.Null);
            Assert.That(run.LogFiles, Has.All.StartsWith("logs/").And.All.EndsWith(".log"));
        }
        finally
        {
            fixture.Delete();
        }
    }
}
