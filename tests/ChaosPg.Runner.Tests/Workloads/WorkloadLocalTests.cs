using ChaosPg.Cluster;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Workloads;
using static ChaosPg.Runner.Tests.Workloads.WorkloadCluster;

namespace ChaosPg.Runner.Tests.Workloads;

[Category("Local")]
public class WorkloadLocalTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-workload-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [TestCase("orders")]
    [TestCase("bank")]
    public async Task A_fault_free_run_acknowledges_every_operation_and_the_snapshots_hold_exactly_the_acknowledged_writes(string kind)
    {
        await using var cluster = await StartAsync();
        await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), kind);
        var path = Path.Combine(directory, HistoryWriter.FileName);
        var history = HistoryWriter.Create(path, "workload-test", 7, "primary");
        await using (history)
        {
            await using var workload = Workload.Create(Options(cluster, kind), history, Nodes(cluster));
            await workload.StartAsync();
            await EventuallyAsync(() => Task.FromResult(workload.Snapshot() is { WritesOk: >= 100, ReadsOk: >= 30 }), "100 writes and 30 reads acknowledged");
            await workload.StopAsync();
            await WaitConvergedAsync(cluster);
            var state = await SnapshotAsync(cluster, history.ElapsedMicros, kind);
            await history.DisposeAsync();

            var loaded = await HistoryReader.ReadAsync(path);
            var acknowledged = loaded.Writes.Select(w => w.WriteId!).Order(StringComparer.Ordinal).ToList();
            Assert.That(loaded.Problems, Is.Empty);
            Assert.That(loaded.Operations.Where(o => !o.Completed || o.Outcome != OperationOutcome.Ok), Is.Empty);
            Assert.That(loaded.Writes.Select(w => w.Node).Distinct(), Is.EqualTo(new[] { "primary" }));
            Assert.That(loaded.Operations.Where(o => o.Kind == OperationKind.Read).Select(o => o.Node).Distinct(), Is.EquivalentTo(new[] { "primary", "replica1" }));
            Assert.That(loaded.Writes.Select(w => w.Seq), Is.Unique);
            foreach (var node in state.Nodes)
            {
                Assert.That(node.Reachable, Is.True, node.Error);
                Assert.That(node.WriteIds.Order(StringComparer.Ordinal), Is.EqualTo(acknowledged), node.Node);
                Assert.That(node.Timeline, Is.EqualTo(1));
            }

            Assert.That(state.Find("replica1")!.Digest, Is.EqualTo(state.Find("primary")!.Digest));
            var verdicts = CheckerSuite.Default.Run(loaded, state);
            Assert.That(verdicts.Find("durability")!.Verdict, Is.EqualTo(Verdict.Valid));
            Assert.That(verdicts.Verdict, Is.EqualTo(Verdict.Valid), string.Join("; ", verdicts.Results.Select(r => r.Summary)));
        }
    }

    [Test]
    public async Task A_primary_killed_mid_workload_gives_failed_or_indeterminate_operations_and_no_crash()
    {
        await using var cluster = await StartAsync();
        await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), "orders");
        var path = Path.Combine(directory, HistoryWriter.FileName);
        var history = HistoryWriter.Create(path, "workload-test", 7, "primary");
        long failingSince;
        WorkloadStats stats;
        await using (history)
        {
            await using var workload = Workload.Create(Options(cluster, writers: 4, readers: 2), history, Nodes(cluster));
            await workload.StartAsync();
            await EventuallyAsync(() => Task.FromResult(workload.Snapshot().WritesOk >= 100), "100 writes acknowledged");
            await cluster.Primary.KillAsync();
            var before = workload.Snapshot();

            // A backend busy when its postmaster dies may still finish (and commit) its statement: judge what follows.
            await EventuallyAsync(() => Task.FromResult(workload.Snapshot() is var s && s.ReadsFailed > before.ReadsFailed && s.WriteConnectFailures > before.WriteConnectFailures), "reads of the killed primary fail and writers find no writable node");
            failingSince = history.ElapsedMicros;
            await workload.StopAsync();
            stats = workload.Snapshot();
        }

        var state = await SnapshotAsync(cluster, 0);
        Assert.That(state.Find("primary")!.Reachable, Is.False);
        Assert.That(state.Find("primary")!.Error, Is.Not.Empty);
        Assert.That(state.Find("replica1")!.Role, Is.EqualTo(ChaosPg.Core.Snapshots.NodeRole.Replica));

        var loaded = await HistoryReader.ReadAsync(path);
        Assert.That(loaded.Operations.Where(o => !o.Completed), Is.Empty, "every operation was completed");
        Assert.That(loaded.Writes.Where(w => w.InvokeMicros > failingSince && w.Outcome == OperationOutcome.Ok), Is.Empty, "no write acknowledged once the primary's backends were gone");
        Assert.That(loaded.Operations.Where(o => o.Kind == OperationKind.Read && o.Node == "primary" && o.Outcome == OperationOutcome.Fail), Is.Not.Empty);
        Assert.That(loaded.Writes.Where(w => w.Outcome == OperationOutcome.Indeterminate).Select(w => w.Error!.ErrorClass).Distinct(), Is.SubsetOf(new[] { "connection-lost", "admin-shutdown", "connection", "timeout" }));
        Assert.That(stats.ReadsOk, Is.GreaterThan(0), "the replica's reader kept reading");
    }
}
