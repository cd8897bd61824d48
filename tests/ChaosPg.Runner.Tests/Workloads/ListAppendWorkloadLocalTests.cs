using ChaosPg.Cluster;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Workloads;
using static ChaosPg.Runner.Tests.Workloads.WorkloadCluster;

namespace ChaosPg.Runner.Tests.Workloads;

[Category("Local")]
public class ListAppendWorkloadLocalTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-list-append-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [TestCase("serializable")]
    [TestCase("repeatable-read")]
    public async Task Transactions_on_the_primary_are_recorded_with_their_reads_and_judged_valid_by_the_model_of_their_isolation(string isolation)
    {
        await using var cluster = await StartAsync();
        await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), "list-append");
        var path = Path.Combine(directory, HistoryWriter.FileName);
        var model = isolation == "serializable" ? "serializable" : "snapshot-isolation";
        var history = HistoryWriter.Create(path, "list-append-test", 7, "primary", model);
        await using (history)
        {
            var options = Options(cluster, "list-append", writers: 4, readers: 2) with { Isolation = isolation };
            // Primary only: a standby's reader beside the primary's can legitimately see Long Fork (on a standby,
            // visibility follows the order of WAL commit records, on the primary the order backends mark their
            // transactions committed: the Jepsen RDS finding). Snapshot isolation holds on the primary alone, and
            // that is what this test claims; list-append-replica-long-fork in the catalog looks for the replica case.
            await using var workload = Workload.Create(options, history, [.. Nodes(cluster).Where(n => n.Name == "primary")]);
            await workload.StartAsync();
            await EventuallyAsync(() => Task.FromResult(workload.Snapshot().WritesOk >= 200), "200 transactions committed", seconds: 60);
            await workload.StopAsync();
            await WaitConvergedAsync(cluster);
            var state = await SnapshotAsync(cluster, history.ElapsedMicros, "list-append");
            await history.DisposeAsync();

            var loaded = await HistoryReader.ReadAsync(path);
            var txns = loaded.Operations.Where(o => o.Kind == OperationKind.Txn).ToList();
            Assert.That(loaded.Problems, Is.Empty);
            Assert.That(txns, Has.Count.EqualTo(loaded.Operations.Length), "a list-append run records only transactions");
            Assert.That(txns.Where(t => t.Outcome == OperationOutcome.Ok).SelectMany(t => t.Transaction).Where(m => m.Kind == MicroOpKind.Read), Has.All.Matches<MicroOp>(m => m.HasValues));
            Assert.That(txns.Where(t => t.Client.StartsWith('r')).SelectMany(t => t.Transaction), Has.All.Matches<MicroOp>(m => m.Kind == MicroOpKind.Read), "readers only read");
            Assert.That(txns.Where(t => t.Client.StartsWith('r')), Is.Not.Empty, "readers ran");
            Assert.That(txns.Select(t => t.Node).Distinct(), Is.EqualTo(new[] { "primary" }), "every transaction ran on the primary");
            Assert.That(txns.Where(t => t.Outcome == OperationOutcome.Fail).Select(t => t.Error!.SqlState), Has.All.AnyOf("40001", "40P01"), "a healthy run fails only on serialization failures and deadlocks (appends lock rows in any order)");
            Assert.That(state.Nodes.Select(n => n.WriteIds.Length), Has.All.Zero, "keys are not single writes");
            Assert.That(state.Find("replica1")!.Digest, Is.EqualTo(state.Find("primary")!.Digest));

            var verdicts = CheckerSuite.Default.Run(loaded, state);
            var transactions = verdicts.Find(ListAppendChecker.CheckerName)!;
            Assert.That(transactions.Summary, Does.StartWith(model));
            Assert.That(transactions.Counts["edges"], Is.GreaterThan(100));
            // The single-write checkers have nothing of a list-append run to judge (unknown, never valid); none may say invalid.
            Assert.That(transactions.Verdict, Is.EqualTo(Verdict.Valid), transactions.Summary);
            Assert.That(verdicts.Results.Where(r => r.Verdict == Verdict.Invalid), Is.Empty, string.Join("; ", verdicts.Results.Select(r => r.Checker + ": " + r.Summary)));
        }
    }
}
