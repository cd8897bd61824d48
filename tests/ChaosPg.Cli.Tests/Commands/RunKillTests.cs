using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ChaosPg.Cli.Tests.Packaging;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>A real <c>chaospg run</c> SIGKILLed in each phase: its reaper leaves nothing of the run behind within 10 s.</summary>
[Category("Local")]
[NonParallelizable]
public sealed class RunKillTests
{
    private static readonly string Chaospg = Path.Combine(AppContext.BaseDirectory, "chaospg.dll");
    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(10);

    // Bring-up, the workload, a fault (the scenario kills replica1 three seconds in) and teardown.
    [TestCase("starting PostgreSQL")]
    [TestCase("running the workload")]
    [TestCase("applied kill")]
    [TestCase("tearing down")]
    public async Task A_run_SIGKILLed_leaves_no_process_listener_or_work_directory_within_10_s(string phase)
    {
        var trial = await KillDuringAsync(phase, keepData: false);

        Assert.That(trial.Left, Is.Empty, trial.Context);
        Directory.Delete(trial.Reports, recursive: true);
    }

    [Test]
    public async Task A_run_with_keep_data_SIGKILLed_leaves_its_data_directories_named_in_run_json_and_nothing_running()
    {
        var trial = await KillDuringAsync("running the workload", keepData: true);

        Assert.That(trial.Left, Is.Empty, trial.Context);
        var manifest = Directory.GetFiles(trial.Reports, "run.json", SearchOption.AllDirectories).Single();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        var kept = json.RootElement.GetProperty("keptDataDirectories").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.That(kept, Has.Count.EqualTo(3), "primary and both replicas");
        Assert.That(kept, Has.All.StartWith(trial.WorkDirectory + "/"));
        Assert.That(kept.Where(d => !File.Exists(Path.Combine(d, "PG_VERSION"))), Is.Empty, "the kept directories are data directories");
        Assert.That(File.Exists(Path.Combine(trial.WorkDirectory!, "owner.json")), Is.False, "no sweep may take what was kept");
        Directory.Delete(trial.WorkDirectory!, recursive: true);
        Directory.Delete(trial.Reports, recursive: true);
    }

    /// <summary>Starts a run, SIGKILLs it at a random moment once <paramref name="phase"/> shows, and polls for 10 s for what is left.</summary>
    private static async Task<(string Reports, string? WorkDirectory, IReadOnlyList<string> Left, string Context)> KillDuringAsync(string phase, bool keepData)
    {
        var seed = Random.Shared.Next(1, 1_000_000);
        var random = new Random(seed);
        var reports = Path.Combine(Path.GetTempPath(), $"chaospg-kill-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Checkout.Root };
        foreach (var argument in (string[])[Chaospg, "run", "--catalog", "replica-kill-restart", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", reports, .. keepData ? ["--keep-data"] : Array.Empty<string>()])
        {
            start.ArgumentList.Add(argument);
        }

        using var harness = Process.Start(start)!;
        var output = new List<string>();
        string? workDirectory = null;
        TimeSpan killedAfter;
        var clock = Stopwatch.StartNew();
        try
        {
            _ = harness.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (await harness.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                workDirectory ??= RunLeftovers.WorkDirectoryOf(harness.Id);
                if (line.Contains(phase, StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.That(harness.HasExited, Is.False, $"the run ended before '{phase}':\n{string.Join('\n', output)}");
            // A random moment inside the phase, not its first line only.
            await Task.Delay(random.Next(0, 800));
            workDirectory ??= RunLeftovers.WorkDirectoryOf(harness.Id);
        }
        finally
        {
            harness.Kill();   // SIGKILL
            killedAfter = clock.Elapsed;
            await harness.WaitForExitAsync();
        }

        var gone = Stopwatch.StartNew();
        IReadOnlyList<string> left;
        while ((left = RunLeftovers.Find(reports, workDirectory)).Count > 0 && gone.Elapsed < Allowed)
        {
            await Task.Delay(50);
        }

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: killed {killedAfter.TotalSeconds:0.0} s in, during '{phase}'; work directory {workDirectory ?? "(not made yet)"}; {left.Count} thing(s) left after {gone.Elapsed.TotalSeconds:0.00} s"));
        return (reports, workDirectory, left, $"after {Allowed.TotalSeconds:0} s (seed {seed}, killed during '{phase}'):\n{string.Join('\n', output.TakeLast(5))}");
    }
}
