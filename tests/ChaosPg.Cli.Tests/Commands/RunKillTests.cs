using System.Globalization;
using System.Text.Json;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>A real <c>chaospg run</c> SIGKILLed in each phase: its reaper leaves nothing of the run behind within 10 s.</summary>
[Category("Local")]
[NonParallelizable]
public sealed class RunKillTests
{
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
        var reports = Path.Combine(Path.GetTempPath(), $"chaospg-kill-{Guid.NewGuid():N}");
        var killed = await RunKill.DuringAsync(
            ["--catalog", "replica-kill-restart", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", reports, .. keepData ? ["--keep-data"] : Array.Empty<string>()],
            reports,
            phase);
        return (reports, killed.WorkDirectory, killed.Left, $"seed {seed}, {killed.Context}");
    }
}
