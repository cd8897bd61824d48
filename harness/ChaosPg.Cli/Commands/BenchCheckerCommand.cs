using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg bench checker [--ops N]</c>: simulates a correct run of N operations, writes it to disk, and measures
/// the checker suite on the in-memory history (after a warm-up on 10,000 operations that compiles the checkers) and
/// again including reading the file back.
/// </summary>
public static class BenchCheckerCommand
{
    private const int WarmupOperations = 10_000;

    public static Command Create()
    {
        var ops = new Option<int>("--ops") { Description = "operations in the simulated history", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<long>("--seed") { Description = "simulation seed", DefaultValueFactory = _ => 1 };
        var workload = new Option<string>("--workload") { Description = "writes (the default: single writes and reads) or list-append (transactions)", DefaultValueFactory = _ => "writes" };
        var model = new Option<string?>("--model") { Description = "with list-append: the consistency model to judge by (default: the simulated history's own, strict-serializable)" };
        var txns = new Option<int>("--txns") { Description = "transactions in the simulated list-append history", DefaultValueFactory = _ => 1_000_000 };
        var endToEnd = new Option<bool>("--end-to-end") { Description = "time only what `chaospg check` does: parse the history file (and snapshots) and check it, with the peak memory of that alone" };
        var command = new Command("checker", "Throughput and peak memory of the checkers on a simulated history.");
        command.Options.Add(ops);
        command.Options.Add(seed);
        command.Options.Add(workload);
        command.Options.Add(txns);
        command.Options.Add(model);
        command.Options.Add(endToEnd);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var kind = parseResult.GetValue(workload);
            if (kind == "list-append")
            {
                var transactions = parseResult.GetValue(txns);
                if (transactions < 1)
                {
                    Console.Error.WriteLine("--txns must be at least 1");
                    return Task.FromResult(2);
                }

                var modelName = parseResult.GetValue(model);
                ConsistencyModel? judged = null;
                if (modelName is not null)
                {
                    if (!ConsistencyModels.TryParse(modelName, out var parsed))
                    {
                        Console.Error.WriteLine($"--model must be one of {string.Join(", ", ConsistencyModels.Names)}, not '{modelName}'");
                        return Task.FromResult(2);
                    }

                    judged = parsed;
                }

                return parseResult.GetValue(endToEnd)
                    ? BenchEndToEnd.RunAsync(listAppend: true, transactions, parseResult.GetValue(seed), judged, cancellationToken)
                    : BenchListAppend.RunAsync(transactions, parseResult.GetValue(seed), judged, cancellationToken);
            }

            if (kind != "writes")
            {
                Console.Error.WriteLine($"--workload must be writes or list-append, not '{kind}'");
                return Task.FromResult(2);
            }

            var count = parseResult.GetValue(ops);
            if (count < 1)
            {
                Console.Error.WriteLine("--ops must be at least 1");
                return Task.FromResult(2);
            }

            return parseResult.GetValue(endToEnd)
                ? BenchEndToEnd.RunAsync(listAppend: false, count, parseResult.GetValue(seed), model: null, cancellationToken)
                : RunAsync(count, parseResult.GetValue(seed), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(int ops, long seed, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("chaospg-bench-").FullName;
        try
        {
            var historyPath = Path.Combine(directory, HistoryWriter.FileName);
            var snapshotsPath = Path.Combine(directory, FinalStateStore.FileName);
            var generator = new CorrectRunGenerator(seed, ops);

            var clock = Stopwatch.StartNew();
            var lines = await WriteAsync(generator, historyPath, snapshotsPath, cancellationToken).ConfigureAwait(false);
            var writeSeconds = clock.Elapsed.TotalSeconds;

            var warmupSeconds = WarmUp(seed);
            var (inMemory, buildSeconds, checkSeconds, checkCpuSeconds, perChecker) = CheckInMemory(generator);
            GC.Collect();

            clock.Restart();
            var cpu = CpuSeconds();
            var history = await HistoryReader.ReadAsync(historyPath, cancellationToken).ConfigureAwait(false);
            var loaded = await FinalStateStore.LoadAsync(snapshotsPath, history, cancellationToken).ConfigureAwait(false);
            var parseSeconds = clock.Elapsed.TotalSeconds;
            var fromDisk = CheckerSuite.Default.Run(history, loaded);
            var parseAndCheckSeconds = clock.Elapsed.TotalSeconds;
            var parseAndCheckCpuSeconds = CpuSeconds() - cpu;

            using var process = Process.GetCurrentProcess();
            var output = Console.OpenStandardOutput();
            await using (output.ConfigureAwait(false))
            {
                using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
                json.WriteStartObject();
                json.WriteNumber("ops", ops);
                json.WriteNumber("lines", lines);
                json.WriteNumber("historyBytes", new FileInfo(historyPath).Length);
                json.WriteNumber("writeSeconds", Math.Round(writeSeconds, 3));
                json.WriteNumber("warmupSeconds", Math.Round(warmupSeconds, 3));
                json.WriteNumber("buildSeconds", Math.Round(buildSeconds, 3));
                json.WriteNumber("checkSeconds", Math.Round(checkSeconds, 3));
                json.WriteNumber("checkOpsPerSecond", Math.Round(ops / checkSeconds));
                json.WriteNumber("checkCpuSeconds", Math.Round(checkCpuSeconds, 3));
                json.WriteNumber("checkOpsPerCpuSecond", Math.Round(ops / checkCpuSeconds));
                json.WriteStartObject("checkSecondsPerChecker");
                foreach (var (name, seconds) in perChecker)
                {
                    json.WriteNumber(name, seconds);
                }

                json.WriteEndObject();
                json.WriteNumber("parseSeconds", Math.Round(parseSeconds, 3));
                json.WriteNumber("parseAndCheckSeconds", Math.Round(parseAndCheckSeconds, 3));
                json.WriteNumber("parseAndCheckOpsPerSecond", Math.Round(ops / parseAndCheckSeconds));
                json.WriteNumber("parseAndCheckCpuSeconds", Math.Round(parseAndCheckCpuSeconds, 3));
                json.WriteNumber("parseAndCheckOpsPerCpuSecond", Math.Round(ops / parseAndCheckCpuSeconds));
                WriteMachine(json, process);
                json.WriteString("verdictInMemory", inMemory.Verdict.ToString().ToLowerInvariant());
                json.WriteString("verdictFromDisk", fromDisk.Verdict.ToString().ToLowerInvariant());
                WriteCheckers(json, fromDisk);
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

    // A method of its own so the generated final state is garbage once written, not a field of RunAsync's state machine
    // that stays alive (30 MB for a million operations) through the in-memory check.
    internal static async Task<long> WriteAsync(CorrectRunGenerator generator, string historyPath, string snapshotsPath, CancellationToken cancellationToken)
    {
        FinalState? state = null;
        var lines = WriteHistory(historyPath, sink => state = generator.Generate(sink));
        await FinalStateStore.SaveAsync(snapshotsPath, state!, cancellationToken).ConfigureAwait(false);
        return lines;
    }

    /// <summary>Writes the lines <paramref name="generate"/> pushes through the harness's own history writer, so the file is what a run records; returns how many.</summary>
    internal static long WriteHistory(string historyPath, Action<Action<HistoryLine>> generate)
    {
        long lines = 0;
        using var writer = HistoryWriter.Open(historyPath);
        generate(line =>
        {
            writer.Append(line);
            lines++;
        });
        return lines;
    }

    /// <summary>Each checker's one-line summary, as the "checkers" object of a bench's figures.</summary>
    internal static void WriteCheckers(Utf8JsonWriter json, SuiteResult result)
    {
        json.WriteStartObject("checkers");
        foreach (var checker in result.Results)
        {
            json.WriteString(checker.Checker, checker.Summary);
        }

        json.WriteEndObject();
    }

    // Wall-clock figures on a shared machine depend on the load; CPU time shows the cost itself.
    internal static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The figures every bench of the checkers ends with: the machine, its load, and the process's memory.</summary>
    internal static void WriteMachine(Utf8JsonWriter json, Process process)
    {
        json.WriteNumber("processorCount", Environment.ProcessorCount);
        json.WriteNumber("loadAverage1m", LoadAverage());
        json.WriteNumber("peakWorkingSetMb", process.PeakWorkingSet64 / (1024 * 1024));
        json.WriteNumber("allocatedMb", GC.GetTotalAllocatedBytes() / (1024 * 1024));
    }

    private static double LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) && double.TryParse(File.ReadAllText(path).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : -1;
    }

    // TieredCompilation is off, so the first call of each method compiles it fully optimized: about 0.1 s for the suite,
    // once per process whatever the history's size. Checking a small simulated history first keeps that constant out
    // of the throughput figures; warmupSeconds reports it.
    private static double WarmUp(long seed)
    {
        var clock = Stopwatch.StartNew();
        var builder = new HistoryBuilder();
        var state = new CorrectRunGenerator(seed, WarmupOperations).Generate(builder.Add);
        CheckerSuite.Default.Run(builder.Build(), state);
        return clock.Elapsed.TotalSeconds;
    }

    private static (SuiteResult Result, double BuildSeconds, double CheckSeconds, double CheckCpuSeconds, Dictionary<string, double> PerChecker) CheckInMemory(CorrectRunGenerator generator)
    {
        var clock = Stopwatch.StartNew();
        var builder = new HistoryBuilder();
        var state = generator.Generate(builder.Add);
        var history = builder.Build();
        var buildSeconds = clock.Elapsed.TotalSeconds;

        // The suite's own loop, timed per checker; the shared context's history and snapshot indexing land in the first
        // checker (durability).
        var context = new CheckContext(history, state);
        var results = new List<CheckerResult>();
        var perChecker = new Dictionary<string, double>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();
        var cpu = CpuSeconds();
        foreach (var checker in CheckerSuite.Default.Checkers)
        {
            clock.Restart();
            results.Add(checker.Check(context));
            perChecker[checker.Name] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        }

        var checkSeconds = total.Elapsed.TotalSeconds;
        return (new SuiteResult(VerdictMerge.Merge(results.Select(r => r.Verdict)), [.. results]), buildSeconds, checkSeconds, CpuSeconds() - cpu, perChecker);
    }
}
