using System.Text.Json;
using ChaosPg.Cluster;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Durability;

/// <summary>
/// The durability checker's lost writes against a count made without it: the acknowledged writes (history.jsonl read
/// line by line) missing on the final primary and present on the old primary, read from its data directory started
/// alone after the run.
/// </summary>
[Category("Chaos")]
[NonParallelizable]
public class IndependentLossCountTests
{
    private const string Table = "chaos_transfers";

    [Test]
    public async Task Async_failover_loses_exactly_the_acknowledged_writes_only_the_old_primary_kept()
    {
        var (checkerLost, independentLost) = await RunAndCountAsync("""
            cluster:
              replicas: 1
              replication: async
            """, "  durability: any\n  lost-writes: allowed\n");

        Assert.That(checkerLost.Count, Is.GreaterThan(0), "asynchronous failover under WAL latency lost nothing");
        Assert.That(independentLost, Has.Count.EqualTo(checkerLost.Count));
        Assert.That(checkerLost, Is.SubsetOf(independentLost), "a write the checker calls lost is not on the old primary");
    }

    [Test]
    public async Task Sync_failover_loses_no_acknowledged_write()
    {
        var (checkerLost, independentLost) = await RunAndCountAsync("""
            cluster:
              replicas: 1
              replication: sync
              synchronous-commit: on
            """, "  durability: valid\n  lost-writes: forbidden\n");

        Assert.That(checkerLost, Is.Empty);
        Assert.That(independentLost, Is.Empty);
    }

    private static async Task<(IReadOnlyList<string> CheckerLost, IReadOnlySet<string> IndependentLost)> RunAndCountAsync(string cluster, string expect)
    {
        var workRoot = Path.Combine("/var/tmp", $"chaospg-indep-{Guid.NewGuid():N}"[..26]);
        var reports = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports");
        var yaml = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"independent-loss-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(yaml, $"""
            name: independent-loss-count
            description: Primary killed under write load with the WAL link slowed, replica promoted.
            {cluster}
            workload:
              kind: bank
              writers: 4
              readers: 1
              rate: 300
            duration: 13s
            schedule:
              - at: 2s
                fault: latency
                target: replica1->primary
                latency: 500ms
                direction: both
              - at: 6s
                fault: kill
                target: primary
              - at: 7s
                action: promote
                target: replica1
              - at: 9s
                action: heal
              - at: 10s
                action: wait-converged
                deadline: 30s
            expect:

            """ + expect);
        StandaloneServer? oldPrimary = null;
        try
        {
            var result = await new ScenarioRunner(new ScenarioRunOptions { ReportsRoot = reports, KeepData = true, WorkRoot = workRoot, Seed = 7 }).RunFileAsync(yaml);
            TestContext.Out.WriteLine($"run folder: {result.Folder.Path}");
            Assert.That(result.Results.Outcome, Is.Not.EqualTo(RunOutcome.Error), () => result.Results.Reason());
            var durability = result.Results.Suite?.Find("durability") ?? throw new AssertionException("no durability result");
            var checkerLost = durability.Evidence.Select(e => e.Id).ToList();
            Assert.That(durability.Counts["lost"], Is.EqualTo(checkerLost.Count), "the checker names fewer lost writes than it counts");

            var runs = Directory.GetDirectories(Path.Combine(workRoot, "runs"));
            Assert.That(runs, Has.Length.EqualTo(1), "the run kept no data directory");
            var binaries = await PgBinariesLocator.LocateAsync(null);
            oldPrimary = await StandaloneServer.StartAsync(binaries.BinDirectory, Path.Combine(runs[0], "nodes", "primary"));
            var onOldPrimary = (await oldPrimary.WriteIdsAsync(Table)).ToHashSet(StringComparer.Ordinal);

            var acknowledged = await AcknowledgedWriteIdsAsync(result.Folder.HistoryPath);
            var onFinalPrimary = await FinalPrimaryWriteIdsAsync(result.Folder.SnapshotsPath);
            var independentLost = acknowledged.Where(id => !onFinalPrimary.Contains(id) && onOldPrimary.Contains(id)).ToHashSet(StringComparer.Ordinal);
            TestContext.Out.WriteLine($"acknowledged {acknowledged.Count}, on final primary {onFinalPrimary.Count}, on old primary {onOldPrimary.Count}, "
                + $"checker lost {checkerLost.Count}, independent lost {independentLost.Count}");
            return (checkerLost, independentLost);
        }
        finally
        {
            if (oldPrimary is not null)
            {
                await oldPrimary.DisposeAsync();
            }

            if (Directory.Exists(workRoot))
            {
                Directory.Delete(workRoot, recursive: true);
            }

            File.Delete(yaml);
        }
    }

    /// <summary>Write ids of complete lines with outcome ok whose invoke is a write; a torn last line is skipped.</summary>
    private static async Task<HashSet<string>> AcknowledgedWriteIdsAsync(string historyPath)
    {
        var writeIdByOperation = new Dictionary<string, string>(StringComparer.Ordinal);
        var okOperations = new List<string>();
        foreach (var line in await File.ReadAllLinesAsync(historyPath))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                switch (root.GetProperty("type").GetString())
                {
                    case "invoke" when root.GetProperty("kind").GetString() == "write":
                        writeIdByOperation[OperationId(root)] = root.GetProperty("writeId").GetString()!;
                        break;
                    case "complete" when root.GetProperty("outcome").GetString() == "ok":
                        okOperations.Add(OperationId(root));
                        break;
                }
            }
        }

        return okOperations.Where(writeIdByOperation.ContainsKey).Select(op => writeIdByOperation[op]).ToHashSet(StringComparer.Ordinal);
    }

    private static string OperationId(JsonElement line) => line.GetProperty("operationId").ToString();

    private static async Task<HashSet<string>> FinalPrimaryWriteIdsAsync(string snapshotsPath)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(snapshotsPath));
        var finalPrimary = document.RootElement.GetProperty("finalPrimary").GetString();
        var node = document.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("node").GetString() == finalPrimary);
        return node.GetProperty("writeIds").EnumerateArray().Select(id => id.GetString()!).ToHashSet(StringComparer.Ordinal);
    }
}
