using ChaosPg.Cluster;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Workloads;
using static ChaosPg.Runner.Tests.Workloads.WorkloadCluster;

namespace ChaosPg.Runner.Tests.Workloads;

/// <summary>
/// What Npgsql reports when a commit that waits for a synchronous standby is cancelled or its session terminated,
/// and how the workload records it (docs/npgsql-sync-commit-cancel.md).
/// </summary>
[Category("Local")]
public class SyncCommitCancelTests
{
    private const string CommittedLocally = "The transaction has already committed locally, but might not have been replicated to the standby.";
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-synccancel-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_command_timeout_during_the_sync_wait_returns_normally_and_is_recorded_ok_with_the_warning()
    {
        await using var cluster = await StartAsync(ReplicationMode.Sync);
        await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), "orders");
        await cluster["replica1"].StopAsync();
        var path = Path.Combine(directory, HistoryWriter.FileName);
        await using (var history = HistoryWriter.Create(path, "sync-cancel", 7, "primary"))
        {
            await using var workload = Workload.Create(Options(cluster, writers: 1, readers: 0, clientTimeout: TimeSpan.FromSeconds(1)), history, Nodes(cluster));
            await workload.StartAsync();
            await EventuallyAsync(() => Task.FromResult(workload.Snapshot().WritesOk >= 2), "two writes acknowledged after their command timeout");
            await workload.StopAsync();
        }

        var writes = (await HistoryReader.ReadAsync(path)).Writes;
        Assert.That(writes.Select(w => w.Outcome).Distinct(), Is.EqualTo(new[] { OperationOutcome.Ok }));
        foreach (var write in writes)
        {
            Assert.That(write.Notices, Has.Length.EqualTo(1), write.WriteId);
            var notice = write.Notices[0];
            Assert.That((notice.Severity, notice.SqlState, notice.Detail), Is.EqualTo(("WARNING", "01000", CommittedLocally)));
            Assert.That(notice.IsSynchronousReplicationCancel, Is.True);
            Assert.That(write.AcknowledgedWithSyncWarning, Is.True);
        }

        var stored = await ScalarAsync<long>(cluster.Primary, $"select count(*) from {WorkloadSchema.Orders.Table}");
        Assert.That(stored, Is.EqualTo(writes.Length), "every write committed locally on the primary");
    }

    [Test]
    public async Task A_terminated_session_during_the_sync_wait_is_recorded_indeterminate_with_the_57P01_warning()
    {
        await using var cluster = await StartAsync(ReplicationMode.Sync);
        await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), "orders");
        await cluster["replica1"].StopAsync();
        var path = Path.Combine(directory, HistoryWriter.FileName);
        await using (var history = HistoryWriter.Create(path, "sync-terminate", 7, "primary"))
        {
            await using var workload = Workload.Create(Options(cluster, writers: 1, readers: 0, clientTimeout: TimeSpan.FromSeconds(3)), history, Nodes(cluster));
            await workload.StartAsync();
            await EventuallyAsync(
                async () => await ScalarAsync<long>(cluster.Primary, "select count(*) from pg_stat_activity where wait_event = 'SyncRep' and application_name = 'chaospg-workload'") == 1,
                "the workload's INSERT waits for the synchronous standby");
            await ScalarAsync<bool>(cluster.Primary, "select pg_terminate_backend(pid) from pg_stat_activity where wait_event = 'SyncRep' and application_name = 'chaospg-workload'");
            await EventuallyAsync(() => Task.FromResult(workload.Snapshot().WritesIndeterminate == 1), "the terminated write is recorded");
            await workload.StopAsync();
        }

        var writes = (await HistoryReader.ReadAsync(path)).Writes;
        var terminated = writes.Single(w => w.Outcome == OperationOutcome.Indeterminate);
        Assert.That(terminated.Error!.ErrorClass, Is.EqualTo("connection-lost"));
        Assert.That(terminated.Notices.Select(n => (n.Severity, n.SqlState, n.Detail)), Is.EqualTo(new[] { ("WARNING", "57P01", CommittedLocally) }));
        Assert.That(terminated.Notices[0].IsSynchronousReplicationCancel, Is.True);
        var stored = await ScalarAsync<long>(cluster.Primary, $"select count(*) from {WorkloadSchema.Orders.Table} where write_id = '{terminated.WriteId}'");
        Assert.That(stored, Is.EqualTo(1), "the indeterminate write committed locally");
    }

    [Test]
    public async Task A_cancel_the_paused_server_never_answers_is_recorded_indeterminate_timeout()
    {
        await using var cluster = await StartAsync(ReplicationMode.Sync);
        await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), "orders");
        await cluster["replica1"].StopAsync();
        var path = Path.Combine(directory, HistoryWriter.FileName);
        await using (var history = HistoryWriter.Create(path, "sync-pause", 7, "primary"))
        {
            await using var workload = Workload.Create(Options(cluster, writers: 1, readers: 0, clientTimeout: TimeSpan.FromSeconds(2)), history, Nodes(cluster));
            await workload.StartAsync();
            await EventuallyAsync(
                async () => await ScalarAsync<long>(cluster.Primary, "select count(*) from pg_stat_activity where wait_event = 'SyncRep' and application_name = 'chaospg-workload'") == 1,
                "the workload's INSERT waits for the synchronous standby");
            await cluster.Primary.PauseAsync();
            try
            {
                await EventuallyAsync(() => Task.FromResult(workload.Snapshot().WritesIndeterminate == 1), "the write whose cancel got no answer is recorded");
            }
            finally
            {
                await cluster.Primary.ResumeAsync();
            }

            await workload.StopAsync();
        }

        var writes = (await HistoryReader.ReadAsync(path)).Writes;
        var timedOut = writes.First(w => w.Outcome == OperationOutcome.Indeterminate);
        Assert.That(timedOut.Error!.ErrorClass, Is.EqualTo("timeout"));
        Assert.That(timedOut.Notices, Is.Empty);
        var stored = await ScalarAsync<long>(cluster.Primary, $"select count(*) from {WorkloadSchema.Orders.Table} where write_id = '{timedOut.WriteId}'");
        Assert.That(stored, Is.EqualTo(1), "the indeterminate write committed locally");
    }
}
