using System.Diagnostics;
using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg bench checker --end-to-end</c>: writes a simulated history to a file (not timed), then times what
/// <c>chaospg check</c> does with it: read the history and the snapshots from their files and run the checkers. Single
/// writes (<c>--ops</c>, the whole suite) or list-append (<c>--txns</c>, the transactions checker). The peak memory
/// printed is that of the parse and check alone: the kernel's high-water mark is reset once the file is written.
/// </summary>
internal static class BenchEndToEnd
{
    /// <summary>Issue 21's goal for single writes: parse and check at least this many operations a second...</summary>
    private const double GoalOpsPerSecond = 2_000_000;

    /// <summary>...under this peak working set.</summary>
    private const long GoalPeakMb = 500;

    private const int WarmupCount = 10_000;

    public static async Task<int> RunAsync(bool listAppend, int count, long seed, ConsistencyModel? model, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("chaospg-bench-").FullName;
        try
        {
            // TieredCompilation is off: the first parse and check compile every method they call. Doing both once on a
            // small history of its own keeps that out of the figures.
            var warmup = Directory.CreateDirectory(Path.Combine(directory, "warmup")).FullName;
            var clock = Stopwatch.StartNew();
            await WriteAsync(listAppend, WarmupCount, seed, Path.Combine(warmup, HistoryWriter.FileName), Path.Combine(warmup, FinalStateStore.FileName), cancellationToken).ConfigureAwait(false);
            await ParseAndCheckAsync(listAppend, model, Path.Combine(warmup, HistoryWriter.FileName), Path.Combine(warmup, FinalStateStore.FileName), cancellationToken).ConfigureAwait(false);
            var warmupSeconds = clock.Elapsed.TotalSeconds;

            var historyPath = Path.Combine(directory, HistoryWriter.FileName);
            var snapshotsPath = Path.Combine(directory, FinalStateStore.FileName);
            clock.Restart();
            var lines = await WriteAsync(listAppend, count, seed, historyPath, snapshotsPath, cancellationToken).ConfigureAwait(false);
            var writeSeconds = clock.Elapsed.TotalSeconds;
            var historyBytes = new FileInfo(historyPath).Length;

            GC.Collect();
            var peakReset = ResetPeakWorkingSet();
            var cpu = BenchCheckerCommand.CpuSeconds();
            clock.Restart();
            var (result, parseSeconds) = await ParseAndCheckAsync(listAppend, model, historyPath, snapshotsPath, cancellationToken).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = BenchCheckerCommand.CpuSeconds() - cpu;

            using var process = Process.GetCurrentProcess();
            var peakMb = process.PeakWorkingSet64 / (1024 * 1024);
            var output = Console.OpenStandardOutput();
            await using (output.ConfigureAwait(false))
            {
                using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
                var unit = listAppend ? "txns" : "ops";
                json.WriteStartObject();
                json.WriteString("mode", "end-to-end");
                json.WriteString("workload", listAppend ? "list-append" : "writes");
                json.WriteNumber(unit, count);
                json.WriteNumber("lines", lines);
                json.WriteNumber("historyBytes", historyBytes);
                json.WriteNumber("writeSeconds", Math.Round(writeSeconds, 3));
                json.WriteNumber("warmupSeconds", Math.Round(warmupSeconds, 3));
                json.WriteNumber("parseSeconds", Math.Round(parseSeconds, 3));
                json.WriteNumber("parseAndCheckSeconds", Math.Round(seconds, 3));
                json.WriteNumber(unit + "PerSecond", Math.Round(count / seconds));
                json.WriteNumber("parseAndCheckCpuSeconds", Math.Round(cpuSeconds, 3));
                json.WriteNumber(unit + "PerCpuSecond", Math.Round(count / cpuSeconds));
                json.WriteNumber("linesPerCpuSecond", Math.Round(lines / cpuSeconds));
                json.WriteBoolean("peakIsParseAndCheckOnly", peakReset);
                BenchCheckerCommand.WriteMachine(json, process);
                if (listAppend)
                {
                    json.WriteString("goal", "none for list-append end to end (issue 21 sets 2 M ops/s, 500 MB for single writes)");
                }
                else
                {
                    json.WriteString("goal", $"at least {GoalOpsPerSecond:0} ops/s wall, under {GoalPeakMb} MB peak");
                    json.WriteBoolean("goalMet", count / seconds >= GoalOpsPerSecond && peakMb < GoalPeakMb);
                }

                json.WriteString("verdict", result.Verdict.ToString().ToLowerInvariant());
                BenchCheckerCommand.WriteCheckers(json, result);
                json.WriteEndObject();
            }

            Console.Out.WriteLine();
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // What `chaospg check` does for single writes; for list-append, the transactions checker alone, as the in-memory
    // list-append bench measures it (the history has no snapshots).
    private static async Task<(SuiteResult Result, double ParseSeconds)> ParseAndCheckAsync(
        bool listAppend, ConsistencyModel? model, string historyPath, string snapshotsPath, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var history = await HistoryReader.ReadAsync(historyPath, cancellationToken).ConfigureAwait(false);
        if (listAppend)
        {
            var parseSeconds = clock.Elapsed.TotalSeconds;
            var state = new FinalState(history.InitialPrimary, history.EndMicros, []);
            var checker = new ListAppendChecker(model).Check(new CheckContext(history, state));
            return (new SuiteResult(checker.Verdict, [checker]), parseSeconds);
        }

        var loaded = await FinalStateStore.LoadAsync(snapshotsPath, history, cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        return (CheckerSuite.Default.Run(history, loaded), seconds);
    }

    private static async Task<long> WriteAsync(bool listAppend, int count, long seed, string historyPath, string snapshotsPath, CancellationToken cancellationToken) =>
        listAppend
            ? BenchCheckerCommand.WriteHistory(historyPath, new ListAppendRunGenerator(seed, count).Generate)
            : await BenchCheckerCommand.WriteAsync(new CorrectRunGenerator(seed, count), historyPath, snapshotsPath, cancellationToken).ConfigureAwait(false);

    // Linux keeps the process's high-water mark of resident memory (VmHWM, which PeakWorkingSet64 reads); writing 5
    // to clear_refs resets it to the current size, so what the generator held while writing is not counted.
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
