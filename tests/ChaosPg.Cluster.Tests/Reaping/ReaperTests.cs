using System.Diagnostics;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Reaping;

namespace ChaosPg.Cluster.Tests.Reaping;

/// <summary>The reaper's side on real processes (sleep and sh stand for servers): what it kills, what it spares, what it deletes.</summary>
[Category("Local")]
public sealed class ReaperTests
{
    private readonly List<Process> started = [];
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine("/var/tmp", $"chaospg-reaper-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void CleanUp()
    {
        foreach (var process in started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        started.Clear();

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_registered_process_dies_with_what_it_forked_but_a_process_with_another_start_time_is_spared()
    {
        var server = Start("setsid", "sh", "-c", "sleep 300 & wait");
        var child = await ChildOfAsync(server.Id);
        var bystander = Start("sleep", "300");
        var reusedPid = new ReapEntry(ReapKind.Process, bystander.Id.ToString(), ProcessTable.StartTime(bystander.Id)! - 1, "a pid the kernel has given to someone else since");

        var actions = await Reaper.ReapAsync([ReapEntry.Process(server.Id, "a server")!, reusedPid]);

        Assert.That(ProcessTable.IsAlive(server.Id), Is.False, string.Join('\n', actions));
        Assert.That(ProcessTable.IsAlive(child), Is.False, "what the server forked goes with it");
        Assert.That(ProcessTable.IsAlive(bystander.Id), Is.True, "a process whose start time differs from the registered one is not the registered one");
        Assert.That(actions, Has.Some.Contain($"killed pid {server.Id}"));
    }

    [Test]
    public async Task A_command_line_marker_finds_a_process_started_after_it_was_registered_then_the_directory_goes()
    {
        var marker = Path.Combine(directory, "run") + "/";
        var entries = new[] { ReapEntry.CommandLine(marker, "the run's servers"), ReapEntry.Path(directory, "the run's work directory") };
        var server = Start("sh", "-c", "sleep 300; true", marker + "nodes/primary");
        var outsider = Start("sh", "-c", "sleep 300; true", Path.Combine(directory, "runner") + "/nodes/primary");

        var actions = await Reaper.ReapAsync(entries);

        Assert.That(ProcessTable.IsAlive(server.Id), Is.False, string.Join('\n', actions));
        Assert.That(ProcessTable.IsAlive(outsider.Id), Is.True, "a command line that only shares a prefix with the marker is someone else's");
        Assert.That(Directory.Exists(directory), Is.False);
        outsider.Kill();
    }

    [Test]
    public async Task After_done_the_reaper_exits_without_reaping_and_after_end_of_file_it_reaps()
    {
        var list = new ReapList(Path.Combine(directory, "reap", "run.jsonl"));
        var server = Start("sleep", "300");
        list.Add(ReapEntry.Process(server.Id, "a server"));
        using var log = new StringWriter();

        using (var done = new MemoryStream("done\n"u8.ToArray()))
        {
            Assert.That(await Reaper.RunAsync(list.Path, done, log), Is.Zero);
        }

        Assert.That(ProcessTable.IsAlive(server.Id), Is.True, "a clean teardown's done line means: touch nothing");
        Assert.That(File.Exists(list.Path), Is.False, "the list goes either way");

        var again = new ReapList(list.Path);
        again.Add(ReapEntry.Process(server.Id, "a server"));
        File.AppendAllText(again.Path, "{\"kind\":\"process\",\"tar");   // the harness died writing a line
        using (var endOfFile = new MemoryStream())
        {
            Assert.That(await Reaper.RunAsync(again.Path, endOfFile, log), Is.Zero);
        }

        Assert.That(ProcessTable.IsAlive(server.Id), Is.False, log.ToString());
        Assert.That(log.ToString(), Does.Contain("the harness is gone").And.Contain($"killed pid {server.Id}"));
    }

    [Test]
    [NonParallelizable]
    public async Task Without_a_Docker_daemon_the_reaper_says_what_it_could_not_remove_and_still_reaps_the_rest()
    {
        var server = Start("sleep", "300");
        var saved = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Environment.SetEnvironmentVariable("DOCKER_HOST", $"unix://{directory}/no-docker.sock");
        IReadOnlyList<string> actions;
        try
        {
            actions = await Reaper.ReapAsync([ReapEntry.DockerLabel("org.chaospg.run=r1", "the run's containers"), ReapEntry.Process(server.Id, "a server")!, ReapEntry.Path(directory, "the run's directory")]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", saved);
        }

        Assert.That(actions, Has.Some.Contain("could not remove the Docker objects labelled org.chaospg.run=r1").And.Some.Contain("no-docker.sock"));
        Assert.That(ProcessTable.IsAlive(server.Id), Is.False);
        Assert.That(Directory.Exists(directory), Is.False);
    }

    [Test]
    public void A_marker_that_could_match_other_runs_is_refused()
    {
        Assert.That(() => ReapEntry.CommandLine("/var/tmp", "too wide"), Throws.ArgumentException);
        Assert.That(() => ReapEntry.CommandLine("runs/x/y", "relative"), Throws.ArgumentException);
    }

    [Test]
    public async Task A_registered_network_namespace_is_deleted()
    {
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip"))
        {
            Assert.Ignore("needs root and ip(8)");
        }

        var name = $"chaospg-reap-{Guid.NewGuid():N}"[..24];
        var add = await ProcessRunner.RunAsync("ip", ["netns", "add", name]);
        if (add.ExitCode != 0)
        {
            Assert.Ignore($"ip netns add is not allowed here: {add.StandardError.Trim()}");
        }

        var actions = await Reaper.ReapAsync([ReapEntry.NetworkNamespace(name, "a node's namespace")]);

        Assert.That(File.Exists(Path.Combine("/run/netns", name)), Is.False, string.Join('\n', actions));
        Assert.That(actions, Has.Some.Contain($"deleted network namespace {name}"));
    }

    private Process Start(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        started.Add(process);
        return process;
    }

    private static async Task<int> ChildOfAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (ProcessTable.Children(pid) is [var child, ..])
            {
                return child;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{pid} forked nothing within 10 s");
            await Task.Delay(10);
        }
    }
}
