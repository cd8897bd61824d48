using System.Globalization;
using ChaosPg.Cli.Tests.Packaging;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>
/// A <c>chaospg run</c> of a Patroni scenario SIGKILLed mid-run: its reaper kills that run's Patroni, etcd and
/// PostgreSQL processes and removes its work directory within 10 s, as it does for the local backend's servers.
/// </summary>
[Category("Local")]
[NonParallelizable]
public sealed class ManagedRunKillTests
{
    // The leader's server is paused from 3 s to 28 s of a 40 s workload: long enough to be killed in either phase.
    private static readonly string Scenario = Path.Combine(Checkout.Root, "tests", "ChaosPg.Runner.Tests", "Fixtures", "patroni-leader-paused.yaml");

    [TestCase("running the workload")]
    [TestCase("applied pause")]
    public async Task A_patroni_run_SIGKILLed_leaves_no_patroni_etcd_or_postgres_process_nor_its_work_directory_within_10_s(string phase)
    {
        var reports = Path.Combine(Path.GetTempPath(), $"chaospg-kill-{Guid.NewGuid():N}");
        List<string> running = [];
        try
        {
            var killed = await RunKill.DuringAsync(
                [Scenario, "--out", reports],
                reports,
                phase,
                beforeKill: work => running = work is null ? [] : ManagerProcesses(work),
                alsoLeft: work => work is null ? [] : [.. ManagerProcesses(work), .. Directory.Exists(work) ? [$"the work directory {work} exists"] : Array.Empty<string>()]);

            // What was there before the kill: the check after it must be able to fail.
            Assert.That(killed.WorkDirectory, Is.Not.Null, "the run's owner.json names its work directory");
            Assert.That(running.Count(p => p.Contains("patroni", StringComparison.Ordinal)), Is.EqualTo(3), string.Join('\n', running));
            Assert.That(running.Count(p => p.Contains("etcd", StringComparison.Ordinal)), Is.EqualTo(1), string.Join('\n', running));
            Assert.That(running.Count(p => p.Contains("postgres", StringComparison.Ordinal)), Is.EqualTo(3), string.Join('\n', running));
            Assert.That(killed.Left, Is.Empty, killed.Context);
        }
        finally
        {
            // A failure keeps the run folder: its logs/reaper.log says what the reaper did and when.
            if (Directory.Exists(reports) && TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                Directory.Delete(reports, recursive: true);
            }
        }
    }

    // Patroni, etcd and PostgreSQL processes whose command line names the run's work directory.
    private static List<string> ManagerProcesses(string workDirectory) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(d => Read(Path.Combine(d, "cmdline")).Replace('\0', ' ').Trim())
            .Where(c => c.Contains(workDirectory + "/", StringComparison.Ordinal)
                && (c.Contains("patroni", StringComparison.Ordinal) || c.Contains("etcd", StringComparison.Ordinal) || c.Contains("postgres", StringComparison.Ordinal)))];

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
