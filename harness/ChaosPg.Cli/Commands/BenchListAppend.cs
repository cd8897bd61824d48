using System.Diagnostics;
using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg bench checker --workload list-append --txns N</c>: simulates a strict serializable list-append history
/// of N transactions, writes it to disk, and measures the transactions checker on the in-memory history (after a
/// warm-up on 10,000 transactions) and again including reading the file back.
/// </summary>
internal static class BenchListAppend
{
    private const int WarmupTransactions = 10_000;

    public static async Task<int> RunAsync(int txns, long seed, ConsistencyModel? model, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("chaospg-bench-").FullName;
        try
        {
            var historyPath = Path.Combine(directory, HistoryWriter.FileName);
            var generator = new ListAppendRunGenerator(seed, txns);
            var clock = Stopwatch.StartNew();
            var lines = BenchCheckerCommand.WriteHistory(historyPath, generator.Generate);

            var writeSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            Check(Build(new ListAppendRunGenerator(seed, WarmupTransactions)), model);
            var warmupSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var history = Build(generator);
            var buildSeconds = clock.Elapsed.TotalSeconds;
            var cpu = BenchCheckerCommand.CpuSeconds();
            clock.Restart();
            var inMemory = Check(history, model);
            var checkSeconds = clock.Elapsed.TotalSeconds;
            var checkCpuSeconds = BenchCheckerCommand.CpuSeconds() - cpu;
            history = null;
            GC.Collect();

            cpu = BenchCheckerCommand.CpuSeconds();
            clock.Restart();
            var fromFile = await HistoryReader.ReadAsync(historyPath, cancellationToken).ConfigureAwait(false);
            var parseSeconds = clock.Elapsed.TotalSeconds;
            var fromDisk = Check(fromFile, model);
            var parseAndCheckSeconds = clock.Elapsed.TotalSeconds;
            var parseAndCheckCpuSeconds = BenchCheckerCommand.CpuSeconds() - cpu;

            using var process = Process.GetCurrentProcess();
            var output = Console.OpenStandardOutput();
            await using (output.ConfigureAwait(false))
            {
                using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
                json.WriteStartObject();
                json.WriteString("workload", "list-append");
                json.WriteNumber("txns", txns);
                json.WriteNumber("lines", lines);
                json.WriteNumber("historyBytes", new FileInfo(historyPath).Length);
                json.WriteNumber("writeSeconds", Math.Round(writeSeconds, 3));
                json.WriteNumber("warmupSeconds", Math.Round(warmupSeconds, 3));
                json.WriteNumber("buildSeconds", Math.Round(buildSeconds, 3));
                json.WriteNumber("checkSeconds", Math.Round(checkSeconds, 3));
                json.WriteNumber("checkTxnsPerSecond", Math.Round(txns / checkSeconds));
                json.WriteNumber("checkCpuSeconds", Math.Round(checkCpuSeconds, 3));
                json.WriteNumber("checkTxnsPerCpuSecond", Math.Round(txns / checkCpuSeconds));
                json.WriteNumber("parseSeconds", Math.Round(parseSeconds, 3));
                json.WriteNumber("parseAndCheckSeconds", Math.Round(parseAndCheckSeconds, 3));
                json.WriteNumber("parseAndCheckTxnsPerSecond", Math.Round(txns / parseAndCheckSeconds));
                json.WriteNumber("parseAndCheckCpuSeconds", Math.Round(parseAndCheckCpuSeconds, 3));
                BenchCheckerCommand.WriteMachine(json, process);
                json.WriteString("verdictInMemory", inMemory.Verdict.ToString().ToLowerInvariant());
                json.WriteString("verdictFromDisk", fromDisk.Verdict.ToString().ToLowerInvariant());
                json.WriteString("summary", fromDisk.Summary);
                json.WriteNumber("edges", fromDisk.Counts.GetValueOrDefault("edges"));
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

    private static History Build(ListAppendRunGenerator generator)
    {
        var builder = new HistoryBuilder();
        generator.Generate(builder.Add);
        return builder.Build();
    }

    private static CheckerResult Check(History history, ConsistencyModel? model) =>
        new ListAppendChecker(model).Check(new CheckContext(history, new FinalState(history.InitialPrimary, history.EndMicros, [])));
}
