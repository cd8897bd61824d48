using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ChaosPg.Cli.Tests.Packaging;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Core.Checkers;
using ChaosPg.Runner.Runs;
using ChaosPg.Toxiproxy;
using Npgsql;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Targets;

/// <summary>
/// The compose cluster of docker/ as a target: brought up by <c>docker compose</c> (or Debian's docker-compose), not
/// by ChaosPg, and judged through the checked-in docker/compose.target.yaml: the latency through its Toxiproxy
/// container, the kill with <c>docker kill</c>, the promotion with <c>docker exec ... pg_promote()</c>.
/// The stack is always taken down (<c>down -v</c>), also when the test fails. Ignored without a Docker daemon unless
/// CHAOSPG_REQUIRE_DOCKER=1 (as .ci/run sets), where it fails; it needs the air-gapped images of docker/images/build.sh.
/// </summary>
[Category("Docker")]
[NonParallelizable]
public class ComposeTargetTests
{
    private const string Scenario = "async-failover-measured-rpo";
    private static readonly TimeSpan StreamingDeadline = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan ComposeDeadline = TimeSpan.FromSeconds(180);

    private static string PgImage =>
        (Environment.GetEnvironmentVariable("CHAOSPG_TEST_PG_IMAGES") is { Length: > 0 } images ? images : "chaospg/postgres:15").Split(',')[0].Trim();

    private static string ToxiproxyImage =>
        Environment.GetEnvironmentVariable("CHAOSPG_TEST_TOXIPROXY_IMAGE") is { Length: > 0 } image ? image : "chaospg/toxiproxy:latest";

    [Test]
    public async Task The_compose_cluster_as_a_target_fails_over_through_docker_commands_and_its_toxiproxy_and_meets_the_scenario_expectations()
    {
        await RequireDaemonAsync();
        var compose = await ComposeCommandAsync();
        var directory = Path.Combine(Path.GetTempPath(), $"chaospg-compose-target-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var project = $"chaospg-target-{Guid.NewGuid().ToString("N")[..8]}";
        var ports = FreePorts(5);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var environment = new Dictionary<string, string>
        {
            ["PG_IMAGE"] = PgImage,
            ["TOXIPROXY_IMAGE"] = ToxiproxyImage,
            ["POSTGRES_PASSWORD"] = password,
            ["REPLICATION_PASSWORD"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            ["PRIMARY_PORT"] = Port(ports[0]),
            ["REPLICA1_PORT"] = Port(ports[1]),
            ["PROXY_PRIMARY_PORT"] = Port(ports[2]),
            ["PROXY_REPLICA1_PORT"] = Port(ports[3]),
            ["TOXIPROXY_API_PORT"] = Port(ports[4]),
        };
        var clock = Stopwatch.StartNew();
        try
        {
            // Given the compose stack, up and streaming through its proxy, and the checked-in target file with the
            // ports and project name of this stack (the file's are compose.yaml's defaults).
            await ComposeAsync(compose, project, environment, "up", "-d");
            var targetFile = Path.Combine(directory, "compose.target.yaml");
            await File.WriteAllTextAsync(targetFile, TargetFileFor(project, ports));
            await WaitStreamingAsync(Port(ports[0]), password);
            TestContext.Out.WriteLine($"compose up to streaming: {clock.Elapsed.TotalSeconds:0.0} s");

            // When the catalog's async failover runs against it, as a user would run it.
            var reports = Path.Combine(directory, "reports");
            var (code, stdout, stderr) = await ChaospgProcess.RunAsync(
                RunDeadline,
                ["run", "--catalog", Scenario, "--target", targetFile, "--i-own-this-cluster", "--out", reports],
                environment: new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = password });
            TestContext.Out.WriteLine($"compose up and run: {clock.Elapsed.TotalSeconds:0.0} s\n{stdout}");

            // Then its expectations are met, and the faults were the target's: the kill stopped the primary's container.
            Assert.That(code, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");
            var run = new RunFolder(Directory.GetDirectories(Path.Combine(reports, "runs", Scenario)).Single());
            var manifest = await run.ReadManifestAsync();
            Assert.That(manifest.Backend, Is.EqualTo("target"));
            var results = await run.ReadResultsAsync();
            Assert.That(results.Outcome, Is.EqualTo(RunOutcome.Passed), results.Reason());
            foreach (var checker in new[] { "phantoms", "duplicates", "split-brain" })
            {
                Assert.That(results.Suite!.Find(checker)?.Verdict, Is.EqualTo(Verdict.Valid), $"{checker} is expected valid");
            }

            var kinds = (await File.ReadAllLinesAsync(run.HistoryPath))
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Where(e => e.TryGetProperty("kind", out _))
                .Select(e => e.GetProperty("kind").GetString())
                .ToHashSet();
            Assert.That(kinds, Is.SupersetOf(new[] { "latency", "kill", "promote" }), "the schedule's faults and promotion are in the history");
            var primaryState = await DockerAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", await ContainerAsync(project, "primary"));
            Assert.That(primaryState.Trim(), Is.EqualTo("exited 137"), "docker kill -s KILL stopped the primary's container, which stays down");
            Assert.That(await WorkloadSchemasAsync(Port(ports[1]), password), Is.Zero, "the run drops its schema on the final primary, replica1");
        }
        finally
        {
            await ComposeAsync(compose, project, environment, "down", "--volumes", "--remove-orphans", "--timeout", "10");
            Directory.Delete(directory, recursive: true);
            TestContext.Out.WriteLine($"with down -v: {clock.Elapsed.TotalSeconds:0.0} s");
        }

        var left = await DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project}")
            + await DockerAsync("volume", "ls", "-q", "--filter", $"label=com.docker.compose.project={project}")
            + await DockerAsync("network", "ls", "-q", "--filter", $"label=com.docker.compose.project={project}");
        Assert.That(left.Trim(), Is.Empty, "down -v leaves no container, volume or network of the project");
    }

    // The checked-in file with this stack's ports and project; each default it replaces must be in the file.
    private static string TargetFileFor(string project, int[] ports)
    {
        var text = File.ReadAllText(Path.Combine(Checkout.Root, "docker", "compose.target.yaml"));
        foreach (var (from, to) in new[]
        {
            ("Port=15432;", $"Port={ports[0]};"),
            ("Port=15433;", $"Port={ports[1]};"),
            ("Port=25432;", $"Port={ports[2]};"),
            ("Port=25433;", $"Port={ports[3]};"),
            ("http://127.0.0.1:8474", $"http://127.0.0.1:{ports[4]}"),
            ("project: chaospg-compose", $"project: {project}"),
        })
        {
            Assert.That(text, Does.Contain(from), "docker/compose.target.yaml uses compose.yaml's defaults");
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }

    private static async Task RequireDaemonAsync()
    {
        try
        {
            await DockerDaemon.ProbeAsync();
        }
        catch (ClusterConfigurationException e) when (Environment.GetEnvironmentVariable("CHAOSPG_REQUIRE_DOCKER") != "1")
        {
            Assert.Ignore($"needs a Docker daemon: {e.Message}");
        }

        foreach (var image in new[] { PgImage, ToxiproxyImage })
        {
            if ((await ProcessRunner.RunAsync("docker", ["image", "inspect", image])).ExitCode != 0)
            {
                Assert.Fail($"image {image} is missing: build it with docker/images/build.sh (--proxy-publish DIR for the proxy)");
            }
        }
    }

    // The compose plugin when it is there, else Debian's docker-compose (what .ci/install installs).
    private static async Task<string[]> ComposeCommandAsync()
    {
        if ((await ProcessRunner.RunAsync("docker", ["compose", "version"])).ExitCode == 0)
        {
            return ["docker", "compose"];
        }

        if ((await ProcessRunner.RunAsync("/bin/sh", ["-c", "command -v docker-compose"])).ExitCode == 0)
        {
            return ["docker-compose"];
        }

        Assert.Fail("neither 'docker compose' nor 'docker-compose' is installed (apt-get install -y docker-compose)");
        return [];
    }

    private static async Task ComposeAsync(string[] compose, string project, Dictionary<string, string> environment, params string[] arguments)
    {
        using var limit = new CancellationTokenSource(ComposeDeadline);
        var docker = Path.Combine(Checkout.Root, "docker");
        var result = await ProcessRunner.RunAsync(
            compose[0],
            [.. compose[1..], "--project-name", project, "--project-directory", docker, "-f", Path.Combine(docker, "compose.yaml"), .. arguments],
            environment: environment,
            cancellationToken: limit.Token);
        Assert.That(result.ExitCode, Is.Zero, $"{string.Join(' ', compose)} {string.Join(' ', arguments)}:\n{result.StandardError}");
    }

    private static async Task<string> DockerAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("docker", arguments);
        Assert.That(result.ExitCode, Is.Zero, $"docker {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }

    private static async Task<string> ContainerAsync(string project, string service) =>
        (await DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project}", "--filter", $"label=com.docker.compose.service={service}")).Trim();

    // The run starts on a streaming pair: the replica may still be cloning when up -d returns.
    private static async Task WaitStreamingAsync(string primaryPort, string password)
    {
        var deadline = DateTime.UtcNow + StreamingDeadline;
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = new NpgsqlConnection(Admin(primaryPort, password));
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication WHERE application_name = 'replica1' AND state = 'streaming'", connection);
                if ((long)(await command.ExecuteScalarAsync())! == 1)
                {
                    return;
                }

                seen = "replica1 not streaming yet";
            }
            catch (NpgsqlException e)
            {
                seen = e.Message;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"replica1 was not streaming from the primary within {StreamingDeadline.TotalSeconds:0} s of compose up (last: {seen})");
    }

    private static async Task<long> WorkloadSchemasAsync(string port, string password)
    {
        await using var connection = new NpgsqlConnection(Admin(port, password));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'chaospg_run%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Admin(string port, string password) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=chaospg;Timeout=5;Pooling=false";

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    // Free now; compose binds them a moment later (the same race check-compose.sh accepts).
    private static int[] FreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(LoopbackPorts.Free());
        }

        return [.. ports];
    }
}
