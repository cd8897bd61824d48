using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ChaosPg.Cli.Commands;
using ChaosPg.Cluster;
using ChaosPg.Runner.Targets;
using Npgsql;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Targets;

/// <summary>
/// A cluster that ChaosPg did not start in this process: <c>chaospg cluster up --write-target</c> runs in another
/// process, and catalog scenarios run against its target file, faults through its commands and its Toxiproxy.
/// </summary>
[Category("Local")]
[NonParallelizable]
public class ClusterUpTargetTests
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(180);
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-target-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task Catalog_scenarios_run_against_a_cluster_up_of_another_process_meet_their_expectations_and_leave_no_schema()
    {
        await WithClusterUpAsync(async (targetFile, passwords) =>
        {
            Assert.That(await File.ReadAllTextAsync(targetFile), Does.Not.Contain(passwords[0]), "the target file names password variables, never passwords");
            var reports = Path.Combine(directory, "reports");

            // Given a kill and restart through the file's commands, and a partition through the cluster's own Toxiproxy.
            var (code, stdout, stderr) = await InvokeAsync("run", "--catalog", "replica-kill-restart", "replica-partition-heal", "--target", targetFile, "--out", reports);

            Assert.That(code, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
            var manifests = Directory.GetFiles(Path.Combine(reports, "runs"), "run.json", SearchOption.AllDirectories);
            Assert.That(manifests, Has.Length.EqualTo(2));
            foreach (var manifest in manifests)
            {
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
                Assert.That(json.RootElement.GetProperty("backend").GetString(), Is.EqualTo("target"));
            }

            var history = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(reports, "runs", "replica-kill-restart"), "history.jsonl", SearchOption.AllDirectories).Single());
            Assert.That(history, Does.Contain("\"kill\""), "the kill ran through the target's command and is in the history");
            Assert.That(await WorkloadSchemasAsync(targetFile), Is.Zero, "each run drops the schema it made");
        });
    }

    [Test]
    public async Task A_target_run_is_replayed_against_its_target_file_given_back_unchanged_and_refused_without_it_or_with_a_changed_one()
    {
        await WithClusterUpAsync(async (targetFile, passwords) =>
        {
            var reports = Path.Combine(directory, "reports");
            var (code, stdout, stderr) = await InvokeAsync("run", "--catalog", "replica-partition-heal", "--target", targetFile, "--out", reports);
            Assert.That(code, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
            var runDirectory = Directory.GetDirectories(Path.Combine(reports, "runs", "replica-partition-heal")).Single();

            // run.json names the target file and its hash, and holds none of its passwords.
            var manifestText = await File.ReadAllTextAsync(Path.Combine(runDirectory, "run.json"));
            using (var manifest = JsonDocument.Parse(manifestText))
            {
                Assert.That(manifest.RootElement.GetProperty("targetFile").GetString(), Is.EqualTo(Path.GetFullPath(targetFile)));
                Assert.That(manifest.RootElement.GetProperty("targetSha256").GetString(), Is.EqualTo(TargetParser.Sha256(await File.ReadAllTextAsync(targetFile))));
            }

            foreach (var password in passwords)
            {
                Assert.That(manifestText, Does.Not.Contain(password));
            }

            // Without the file: one line that names it.
            (code, _, stderr) = await InvokeAsync("replay", runDirectory, "--out", reports);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Trim(), Is.EqualTo($"chaospg: {runDirectory} ran against the target file {Path.GetFullPath(targetFile)}; give it back: chaospg replay {runDirectory} --target {Path.GetFullPath(targetFile)} (with --i-own-this-cluster unless the file says so)"));

            // With a changed copy: one line with both hashes.
            var changed = Path.Combine(directory, "changed.yaml");
            await File.WriteAllTextAsync(changed, (await File.ReadAllTextAsync(targetFile)).Replace("schema-prefix: chaospg_run", "schema-prefix: chaospg_run_other", StringComparison.Ordinal));
            (code, _, stderr) = await InvokeAsync("replay", runDirectory, "--target", changed, "--out", reports);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(stderr, Does.StartWith($"chaospg: {changed} is not the target file the run used: its sha256 is {TargetParser.Sha256(await File.ReadAllTextAsync(changed))[..12]}"));
            Assert.That(Directory.GetDirectories(Path.Combine(reports, "runs", "replica-partition-heal")), Has.Length.EqualTo(1), "a refused replay starts nothing");

            // When the same file is given back, the run is redone against it with the recorded seed.
            (code, stdout, stderr) = await InvokeAsync("replay", runDirectory, "--target", targetFile, "--out", reports);

            Assert.That(code, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
            var replayed = Directory.GetDirectories(Path.Combine(reports, "runs", "replica-partition-heal")).Single(d => d != runDirectory);
            using var replayManifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(replayed, "run.json")));
            using var originalManifest = JsonDocument.Parse(manifestText);
            Assert.That(replayManifest.RootElement.GetProperty("backend").GetString(), Is.EqualTo("target"));
            Assert.That(replayManifest.RootElement.GetProperty("seed").GetInt64(), Is.EqualTo(originalManifest.RootElement.GetProperty("seed").GetInt64()));
            Assert.That(replayManifest.RootElement.GetProperty("targetSha256").GetString(), Is.EqualTo(originalManifest.RootElement.GetProperty("targetSha256").GetString()));
            Assert.That(await WorkloadSchemasAsync(targetFile), Is.Zero, "the replay drops its schema too");
        });
    }

    [Test]
    public async Task A_promotion_someone_else_makes_during_a_target_run_is_recorded_as_the_targets_decision()
    {
        await WithClusterUpAsync(async (targetFile, _) =>
        {
            var reports = Path.Combine(directory, "reports");
            var scenario = Path.Combine(directory, "outside.yaml");
            await File.WriteAllTextAsync(scenario, "name: outside-promotion\ndescription: Someone else promotes replica1 during the run.\ncluster:\n  replicas: 2\nworkload:\n  kind: bank\n  writers: 2\nduration: 10s\nexpect:\n  durability: any\n  phantoms: any\n  duplicates: any\n  convergence: any\n  replica-reads: any\n  split-brain: any\n  lost-writes: allowed\n");

            // Given a run against the target, and replica1 promoted behind the harness's back once the run writes.
            var run = InvokeAsync("run", scenario, "--target", targetFile, "--out", reports);
            await PromoteOnceTheRunWritesAsync(targetFile, "replica1");
            var (_, stdout, stderr) = await run;

            // Then the observer saw it, and the history records it as the target's decision, not the harness's.
            Assert.That(stdout, Does.Contain("observed (target): pg_is_in_recovery() on replica1: true -> false"), $"stdout:\n{stdout}\nstderr:\n{stderr}");
            var history = Directory.GetFiles(Path.Combine(reports, "runs", "outside-promotion"), "history.jsonl", SearchOption.AllDirectories).Single();
            var promotions = (await File.ReadAllLinesAsync(history))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("kind", out var kind) && kind.GetString() == "promote")
                .ToList();
            Assert.That(promotions, Has.Count.EqualTo(1), "one promotion, and none the harness made");
            Assert.That(promotions[0].GetProperty("target").GetString(), Is.EqualTo("replica1"));
            Assert.That(promotions[0].GetProperty("parameters").GetProperty("by").GetString(), Is.EqualTo("target"));
        });
    }

    [Test]
    public async Task A_target_file_without_the_ownership_key_or_flag_exits_2_before_any_run_folder_exists()
    {
        var targetFile = Path.Combine(directory, "target.yaml");
        await File.WriteAllTextAsync(
            targetFile,
            "nodes:\n  primary:\n    client:\n      connection: \"Host=127.0.0.1;Port=1;Username=a;Database=d\"\n    admin:\n      connection: \"Host=127.0.0.1;Port=1;Username=a;Database=d\"\n  replica1:\n    client:\n      connection: \"Host=127.0.0.1;Port=2;Username=a;Database=d\"\n    admin:\n      connection: \"Host=127.0.0.1;Port=2;Username=a;Database=d\"\n");
        var reports = Path.Combine(directory, "reports");
        var scenario = Path.Combine(directory, "one.yaml");
        await File.WriteAllTextAsync(scenario, "name: one\ndescription: Proves one thing.\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\n");

        var (code, _, error) = await InvokeAsync("run", scenario, "--target", targetFile, "--out", reports);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"{targetFile}: a run against a target kills, pauses and partitions its nodes: say i-own-this-cluster: true in the target file or pass --i-own-this-cluster"));
        Assert.That(Directory.Exists(reports), Is.False, "nothing may start, not even a run folder");
    }

    [Test]
    public async Task A_malformed_target_file_exits_2_with_its_file_line_and_column()
    {
        var targetFile = Path.Combine(directory, "target.yaml");
        await File.WriteAllTextAsync(targetFile, "i-own-this-cluster: true\ncommands:\n  explode: boom\nnodes: {}\n");

        var (code, _, error) = await InvokeAsync("run", directory, "--target", targetFile);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"{targetFile}:3:12: unknown fault command 'explode'"));
    }

    // `cluster up --write-target` in another process, its password variables in this one's environment while the
    // body runs with the target file and the passwords; then SIGTERM, which must end it with exit 0.
    private async Task WithClusterUpAsync(Func<string, string[], Task> body)
    {
        var targetFile = Path.Combine(directory, "target.yaml");
        using var clusterUp = StartClusterUp(targetFile, out var output);
        var variables = new List<string>();
        try
        {
            await WaitForAsync(clusterUp, output, "ready; press Ctrl-C");
            var pairs = (await File.ReadAllLinesAsync(targetFile + ".env")).Select(l => l.Split('=', 2)).ToList();
            foreach (var pair in pairs)
            {
                variables.Add(pair[0]);
                Environment.SetEnvironmentVariable(pair[0], pair[1]);
            }

            await body(targetFile, [.. pairs.Select(p => p[1])]);
        }
        finally
        {
            variables.ForEach(v => Environment.SetEnvironmentVariable(v, null));
            await StopAsync(clusterUp);
        }

        Assert.That(clusterUp.ExitCode, Is.EqualTo(0), output.ToString());
    }

    private static Process StartClusterUp(string targetFile, out StringBuilder output)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "chaospg.dll"), "cluster", "up", "--replicas", "2", "--write-target", targetFile })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var lines = new StringBuilder();
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { lock (lines) { lines.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (lines) { lines.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = lines;
        return process;
    }

    private static async Task WaitForAsync(Process process, StringBuilder output, string line)
    {
        var deadline = DateTime.UtcNow + ReadyDeadline;
        while (true)
        {
            lock (output)
            {
                if (output.ToString().Contains(line, StringComparison.Ordinal))
                {
                    return;
                }
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"cluster up did not print '{line}' (exited: {process.HasExited}):\n{output}");
            }

            await Task.Delay(200);
        }
    }

    // SIGTERM is what a service manager sends: cluster up tears its cluster down and exits 0.
    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    // Waits for the run's schema to hold the workload's table with rows, then runs pg_promote() on the node.
    private static async Task PromoteOnceTheRunWritesAsync(string targetFile, string node)
    {
        var target = await TargetParser.LoadAsync(targetFile);
        var deadline = DateTime.UtcNow + ReadyDeadline;
        await using (var primary = await OpenAdminAsync(target, "primary"))
        {
            while (true)
            {
                await using var rows = new NpgsqlCommand("SELECT coalesce(sum(n_live_tup), 0)::bigint FROM pg_stat_user_tables WHERE schemaname LIKE 'chaospg_run%'", primary);
                if ((long)(await rows.ExecuteScalarAsync())! > 50)
                {
                    break;
                }

                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the run never wrote");
                await Task.Delay(200);
            }
        }

        await using var connection = await OpenAdminAsync(target, node);
        await using var promote = new NpgsqlCommand("SELECT pg_promote()", connection);
        Assert.That(await promote.ExecuteScalarAsync(), Is.True);
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(ChaosPg.Cluster.Target.TargetSpec target, string node)
    {
        var admin = target.Node(node)!.Admin;
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Password = Environment.GetEnvironmentVariable(admin.PasswordEnvironmentVariable!) }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> WorkloadSchemasAsync(string targetFile)
    {
        await using var connection = await OpenAdminAsync(await TargetParser.LoadAsync(targetFile), "primary");
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'chaospg_run%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand { RunCommand.Create(), ReplayCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
