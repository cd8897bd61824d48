using System.CommandLine;
using ChaosPg.Cli.Commands;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

public class RunCommandTests
{
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-run-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_malformed_scenario_exits_2_with_its_file_and_line_in_one_line_before_anything_starts()
    {
        string file = Path.Combine(directory, "bad.yaml");
        await File.WriteAllTextAsync(file, "name: bad\ndescription: d\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10 seconds\n");
        string reports = Path.Combine(directory, "reports");

        var (code, _, error) = await InvokeAsync("run", file, "--out", reports);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith($"{file}:8:11: duration '10 seconds' is not a duration"));
        Assert.That(Directory.Exists(reports), Is.False, "nothing may start, not even a run folder");
    }

    [Test]
    public void An_unknown_backend_is_a_usage_error_that_names_the_choices()
    {
        var errors = new RootCommand { RunCommand.Create() }.Parse(["run", directory, "--backend", "vm"]).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.Contain("'vm' not recognized").And.Some.Contain("'docker'"));
    }

    [Test]
    public async Task An_image_option_for_the_local_backend_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await InvokeAsync("run", directory, "--pg-image", "postgres:17");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo("chaospg: --pg-image and --toxiproxy-image are for --backend docker; the local backend takes --pg-bin"));
    }

    [Test]
    [NonParallelizable]
    public async Task The_docker_backend_without_a_daemon_is_one_line_and_exit_code_2_before_any_run_folder_exists()
    {
        await File.WriteAllTextAsync(
            Path.Combine(directory, "one.yaml"),
            "name: one\ndescription: Proves one thing.\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\n");
        string reports = Path.Combine(directory, "reports");
        var saved = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Environment.SetEnvironmentVariable("DOCKER_HOST", $"unix://{directory}/no-docker.sock");
        try
        {
            var (code, _, error) = await InvokeAsync("run", directory, "--backend", "docker", "--out", reports);

            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error, Does.Contain("no Docker daemon").And.Contain("no-docker.sock").And.Contain("start dockerd"));
            Assert.That(Directory.Exists(reports), Is.False, "nothing may start, not even a run folder");
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", saved);
        }
    }

    [Test]
    public async Task An_unknown_catalog_scenario_is_named_in_one_line_with_exit_code_2()
    {
        var (code, _, error) = await InvokeAsync("run", "--catalog", "no-such-scenario");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("no scenario named no-such-scenario").And.Contain("chaospg list"));
    }

    [Test]
    public async Task List_shows_each_scenario_with_its_tags_and_description()
    {
        await File.WriteAllTextAsync(
            Path.Combine(directory, "one.yaml"),
            "name: one\ndescription: Proves one thing.\ntags: [release]\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\n");

        var (code, output, _) = await InvokeAsync("list", directory);

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("one [release] (10s)"));
        Assert.That(output, Does.Contain("Proves one thing."));
    }

    [Test]
    public async Task Replay_of_a_folder_that_is_not_a_run_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await InvokeAsync("replay", directory);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("pass a run folder"));
    }

    private static async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand { RunCommand.Create(), ListCommand.Create(), ReplayCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
