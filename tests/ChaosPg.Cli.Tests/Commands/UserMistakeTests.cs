using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>
/// Each mistake a user made with the released command, run as a real process: one line on stderr naming what was
/// wrong, exit code 2, no stack trace, and nothing started (no reports folder).
/// </summary>
public sealed class UserMistakeTests
{
    private string directory = string.Empty;

    private string Reports => Path.Combine(directory, "reports");

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-mistake-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_toxiproxy_url_that_is_not_a_url_is_one_line_and_exit_2()
    {
        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Reports, "--toxiproxy-url", "nope"], "--toxiproxy-url 'nope' is not an http:// URL");
    }

    [Test]
    public async Task A_toxiproxy_url_where_nothing_answers_is_one_line_and_exit_2_before_any_run_folder()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Reports, "--toxiproxy-url", $"http://127.0.0.1:{port}"], $"no Toxiproxy answers GET /version at --toxiproxy-url http://127.0.0.1:{port}/");
    }

    [TestCase("patroni,nope", "--manager: unknown manager nope; known: none, patroni, repmgr, pg_auto_failover")]
    [TestCase("patroni,,none", "--manager takes a comma-separated list of managers")]
    public async Task A_manager_list_with_a_name_no_one_knows_is_one_line_and_exit_2(string managers, string message)
    {
        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Reports, "--manager", managers], message);
    }

    [Test]
    public async Task A_manager_list_with_a_target_is_one_line_and_exit_2()
    {
        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Reports, "--manager", "patroni", "--target", "t.yaml"], "--manager chooses the manager ChaosPg starts; a --target cluster has its own");
    }

    [TestCase("promote", "replica1")]
    [TestCase("rejoin", "primary")]
    public async Task A_harness_promotion_run_under_a_manager_is_one_line_at_its_step_and_exit_2(string action, string target)
    {
        var file = Path.Combine(directory, "promote.yaml");
        await File.WriteAllTextAsync(file, $"name: promote\ndescription: d\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\nschedule:\n  - at: 2s\n    action: {action}\n    target: {target}\n");

        await AssertMistakeAsync(["run", file, "--out", Reports, "--manager", "patroni"], $"{file}:11:13: with --manager patroni: the manager (patroni) promotes and rejoins; use action: failover or switchover");
    }

    [TestCase("99999")]
    [TestCase("-1")]
    public async Task Proxy_on_a_port_out_of_range_is_one_line_and_exit_2(string port)
    {
        await AssertMistakeAsync(["proxy", "--port", port], $"--port {port} is not a TCP port; use 0 to 65535");
    }

    [Test]
    public async Task Proxy_on_a_port_that_is_not_a_number_is_one_line_and_exit_2()
    {
        await AssertMistakeAsync(["proxy", "--port", "http"], "--port 'http' is not a whole number");
    }

    [Test]
    public async Task Out_under_a_regular_file_is_one_line_and_exit_2()
    {
        var file = Path.Combine(directory, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Path.Combine(file, "reports")], $"--out {file}/reports: {file} is a file, not a folder");
    }

    [Test]
    public async Task Out_where_even_root_cannot_write_is_one_line_and_exit_2()
    {
        // As root a chmod 555 folder is still writable; /proc is not, for anyone.
        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", "/proc/chaospg-reports"], "--out /proc/chaospg-reports: cannot write in /proc");
    }

    [Test]
    [NonParallelizable]
    public async Task Out_in_a_read_only_mount_is_one_line_and_exit_2()
    {
        // A read-only tmpfs is read-only for root too (a chmod 555 folder is not). Mounting needs root.
        var readOnly = Path.Combine(directory, "read-only");
        Directory.CreateDirectory(readOnly);
        if (await ExitCodeAsync("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", readOnly) != 0)
        {
            Assert.Ignore("cannot mount a read-only tmpfs here (needs root); Out_where_even_root_cannot_write covers the case");
        }

        try
        {
            await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Path.Combine(readOnly, "reports")], $"--out {readOnly}/reports: cannot write in {readOnly} (");
        }
        finally
        {
            await ExitCodeAsync("umount", readOnly);
        }
    }

    [TestCase("explore", "--runs", "1")]
    [TestCase("signoff")]
    public async Task Out_under_a_regular_file_is_refused_by_every_command_that_writes_reports(params string[] command)
    {
        var file = Path.Combine(directory, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        await AssertMistakeAsync([.. command, "--out", Path.Combine(file, "reports")], $"{file} is a file, not a folder");
    }

    [Test]
    public async Task A_pg_bin_without_postgres_goes_to_stderr_before_any_run_folder()
    {
        await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Reports, "--pg-bin", "/nonexistent"], "--pg-bin /nonexistent has no 'postgres' executable");
    }

    [Test]
    public async Task A_seed_that_is_not_a_number_is_said_in_words()
    {
        var error = await AssertMistakeAsync(["run", "--catalog", "replica-kill-restart", "--out", Reports, "--seed", "abc"], "--seed 'abc' is not a whole number");

        Assert.That(error, Does.Not.Contain("System."));
    }

    [TestCase("bench", "bringup", "--runs", "x")]
    [TestCase("cluster", "up", "--replicas", "two")]
    public async Task A_count_that_is_not_a_number_is_said_in_words_in_every_command(params string[] command)
    {
        var error = await AssertMistakeAsync(command, $"{command[^2]} '{command[^1]}' is not a whole number");

        Assert.That(error, Does.Not.Contain("System."));
    }

    [TestCase("run", "--catalog", "replica-kill-restart", "--bogus-flag")]
    [TestCase("run", "--bogus-flag")]
    [TestCase("validate", "scenarios", "--bogus-flag")]
    public async Task An_unknown_option_is_named_as_an_unknown_option(params string[] command)
    {
        await AssertMistakeAsync([.. command, "--out", Reports], $"unknown option '--bogus-flag' for `chaospg {command[0]}`");
    }

    [Test]
    public async Task Deeply_nested_yaml_is_refused_with_its_line_not_a_stack_overflow()
    {
        // The file a user tried: 60,000 brackets, about 120 KB; it crashed the process with "Stack overflow." (exit 134).
        var file = Path.Combine(directory, "deep.yaml");
        await File.WriteAllTextAsync(file, "name: deep\ndescription: d\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\ntags: " + new string('[', 60_000) + new string(']', 60_000) + "\n");

        await AssertMistakeAsync(["run", file, "--out", Reports], $"{file}:9:");
        await AssertMistakeAsync(["validate", file], "nests deeper than 16 levels");
    }

    [Test]
    public async Task A_five_megabyte_description_is_refused_and_copied_nowhere()
    {
        var file = Path.Combine(directory, "big.yaml");
        await File.WriteAllTextAsync(file, "name: big\ndescription: " + new string('x', 5_000_000) + "\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\n");

        var error = await AssertMistakeAsync(["run", file, "--out", Reports], $"{file}:1:1: the file has 5000097 characters; a scenario may have at most 262144");

        Assert.That(error.Length, Is.LessThan(500), "the message does not echo the file");
    }

    [Test]
    public async Task A_description_over_its_limit_is_refused_with_its_line()
    {
        var file = Path.Combine(directory, "long.yaml");
        await File.WriteAllTextAsync(file, "name: long\ndescription: " + new string('x', 2001) + "\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\nduration: 10s\n");

        await AssertMistakeAsync(["run", file, "--out", Reports], $"{file}:2:14: description has 2001 characters; at most 2000");
    }

    private static async Task<int> ExitCodeAsync(string fileName, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    // Runs chaospg, asserts exit 2, one line on stderr containing the text, no stack trace and no reports folder.
    private async Task<string> AssertMistakeAsync(string[] arguments, string expected)
    {
        var (code, _, error) = await ChaospgProcess.RunAsync(TimeSpan.FromSeconds(60), arguments);

        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
        Assert.That(Directory.Exists(Reports), Is.False, "nothing may start, not even a reports folder");
        return error;
    }
}
