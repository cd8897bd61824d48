using System.Diagnostics;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Tests.Local;

[Category("Local")]
public class ClusterSweeperTests
{
    [Test]
    public async Task The_sweep_removes_the_servers_and_directories_a_SIGKILLed_harness_left()
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Without its reaper, which would otherwise remove everything before the sweep gets a chance (ReaperTests).
        startInfo.Environment["CHAOSPG_REAPER"] = "0";
        foreach (var argument in new[] { TestCluster.CliDll(), "cluster", "up", "--replicas", "1", "--pg-bin", TestCluster.PgBin })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var harness = Process.Start(startInfo)!;
        string? workDirectory = null;
        try
        {
            while (await harness.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line && line.StartsWith("ready", StringComparison.Ordinal) is false)
            {
                if (line.StartsWith("work directory: ", StringComparison.Ordinal))
                {
                    workDirectory = line["work directory: ".Length..];
                }
            }
        }
        finally
        {
            harness.Kill();
            await harness.WaitForExitAsync();
        }

        Assert.That(workDirectory, Is.Not.Null, await harness.StandardError.ReadToEndAsync());
        var owner = RunOwnerFile.TryRead(Path.Combine(workDirectory!, RunOwnerFile.FileName))!;
        var pids = owner.Nodes.Select(n => n.PostmasterPid!.Value).ToList();
        Assert.That(pids.All(ProcessTable.IsAlive), Is.True, "precondition: the killed harness left its servers running");
        Assert.That(owner.OwnerIsAlive, Is.False);

        var removed = await ClusterSweeper.SweepAsync(new LocalClusterOptions().WorkRoot);

        Assert.That(removed, Does.Contain(workDirectory));
        Assert.That(pids.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Directory.Exists(workDirectory), Is.False);
    }

    [Test]
    public async Task The_sweep_leaves_a_run_whose_harness_is_alive()
    {
        await using var cluster = await TestCluster.StartAsync();

        var removed = await ClusterSweeper.SweepAsync(new LocalClusterOptions().WorkRoot);

        Assert.That(removed, Does.Not.Contain(cluster.WorkDirectory));
        Assert.That(cluster.Nodes.All(n => n.IsRunning), Is.True);
    }

    [Test]
    public async Task The_sweep_leaves_a_dead_harness_run_to_its_reaper_while_that_lives()
    {
        var workRoot = Path.Combine("/var/tmp", $"chaospg-sweep-test-{Guid.NewGuid():N}");
        var run = Path.Combine(workRoot, "runs", "r1");
        Directory.CreateDirectory(run);
        using var exited = Process.Start("true")!;
        await exited.WaitForExitAsync();
        using var reaper = Process.Start("sleep", "300")!;
        try
        {
            var owner = new RunOwnerFile(exited.Id, 1, run, [], reaper.Id, ProcessTable.StartTime(reaper.Id));
            await owner.WriteAsync(Path.Combine(run, RunOwnerFile.FileName));

            Assert.That(await ClusterSweeper.SweepAsync(workRoot), Is.Empty, "its reaper is reaping it");
            reaper.Kill();
            await reaper.WaitForExitAsync();
            Assert.That(await ClusterSweeper.SweepAsync(workRoot), Is.EqualTo(new[] { run }), "with the reaper gone too, the sweep takes it");
        }
        finally
        {
            if (!reaper.HasExited)
            {
                reaper.Kill();
            }

            Directory.Delete(workRoot, recursive: true);
        }
    }
}
