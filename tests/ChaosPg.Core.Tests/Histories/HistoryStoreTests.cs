using System.Collections.Immutable;
using System.Text;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Histories;

public sealed class HistoryStoreTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-history-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_written_history_reads_back_with_every_field()
    {
        var path = Path.Combine(directory, HistoryWriter.FileName);
        ImmutableArray<ServerNotice> notices = [HistoryScript.SyncNotice()];
        using (var writer = HistoryWriter.Create(path, "failover", 42, "primary"))
        {
            var write = writer.InvokeWrite("w1", "primary", "client->primary", "2a-w1-1", 1, "chaos_writes");
            writer.Complete(write.OperationId, OperationOutcome.Ok, commitLsn: Lsn.Parse("0/3000060"), notices: notices);
            var read = writer.InvokeRead("r1", "replica1", "client->replica1");
            writer.Complete(read.OperationId, OperationOutcome.Ok, read: new ReadResult(1, 1, Lsn.Parse("0/3000060")));
            var kill = writer.StartEvent(EventKind.WaitConverged, "cluster", ImmutableDictionary<string, string>.Empty.Add("timeout", "30s"));
            writer.EndEvent(kill.EventId, ok: false, error: "timed out");
        }

        var history = await HistoryReader.ReadAsync(path);

        Assert.That(history.Header!.Scenario, Is.EqualTo("failover"));
        Assert.That(history.Header.Seed, Is.EqualTo(42));
        var written = history.Writes.Single();
        Assert.That(written.WriteId, Is.EqualTo("2a-w1-1"));
        Assert.That(written.Outcome, Is.EqualTo(OperationOutcome.Ok));
        Assert.That(written.CommitLsn, Is.EqualTo(Lsn.Parse("0/3000060")));
        Assert.That(written.Notices, Is.EqualTo(notices));
        Assert.That(written.AcknowledgedWithSyncWarning, Is.True);
        var read2 = history.Operations.Single(o => o.Kind == OperationKind.Read);
        Assert.That(read2.Read, Is.EqualTo(new ReadResult(1, 1, Lsn.Parse("0/3000060"))));
        var e = history.Events.Single();
        Assert.That((e.Kind, e.Target, e.Parameters["timeout"], e.Ok, e.Error), Is.EqualTo((EventKind.WaitConverged, "cluster", "30s", (bool?)false, "timed out")));
        Assert.That(history.TornTail, Is.False);
        Assert.That(history.Problems, Is.Empty);
    }

    [Test]
    public async Task History_lines_use_camel_case_and_kebab_enum_strings()
    {
        var path = Path.Combine(directory, HistoryWriter.FileName);
        using (var writer = HistoryWriter.Open(path))
        {
            writer.Append(new EventStarted(5, 1, EventKind.TerminateBackends, "primary"));
        }

        var text = await File.ReadAllTextAsync(path);

        Assert.That(text, Is.EqualTo("{\"type\":\"event-start\",\"eventId\":1,\"kind\":\"terminate-backends\",\"target\":\"primary\",\"atMicros\":5}\n"));
    }

    [Test]
    public async Task A_torn_last_line_is_skipped_and_flagged()
    {
        var path = Path.Combine(directory, HistoryWriter.FileName);
        using (var writer = HistoryWriter.Create(path, "s", 1, "primary"))
        {
            writer.InvokeWrite("w1", "primary", "client->primary", "a", 1, "t");
        }

        await File.AppendAllTextAsync(path, "{\"type\":\"complete\",\"operationId\":1,\"atMi");

        var history = await HistoryReader.ReadAsync(path);

        Assert.That(history.TornTail, Is.True);
        Assert.That(history.Writes.Single().Outcome, Is.EqualTo(OperationOutcome.Indeterminate));
    }

    [Test]
    public async Task A_bad_line_in_the_middle_is_an_error_naming_the_line()
    {
        var path = Path.Combine(directory, HistoryWriter.FileName);
        await File.WriteAllTextAsync(path, "{\"type\":\"event-start\",\"eventId\":1,\"kind\":\"kill\",\"target\":\"primary\",\"atMicros\":5}\nnot json\n{\"type\":\"event-end\",\"eventId\":1,\"atMicros\":6}\n");

        var error = Assert.ThrowsAsync<HistoryFormatException>(() => HistoryReader.ReadAsync(path));

        Assert.That(error!.Message, Does.Contain(":2:"));
    }

    [Test]
    public void An_invoke_without_completion_is_indeterminate_until_the_end_of_the_history()
    {
        var history = new HistoryScript()
            .Write("a", 10, null)
            .Write("b", 20, 30)
            .Event(EventKind.Kill, "primary", 40, 41)
            .Build();

        var open = history.Writes.Single(w => w.WriteId == "a");

        Assert.That((open.Completed, open.Outcome, open.EndMicros), Is.EqualTo((false, OperationOutcome.Indeterminate, 41_000L)));
    }

    [Test]
    public void Lines_pair_whatever_their_order()
    {
        var script = new HistoryScript().Write("a", 10, 20).Event(EventKind.Pause, "primary", 5, 15);
        var builder = new HistoryBuilder();
        foreach (var line in script.Lines.Reverse())
        {
            builder.Add(line);
        }

        var history = builder.Build();

        Assert.That(history.Writes.Single().Outcome, Is.EqualTo(OperationOutcome.Ok));
        Assert.That(history.Events.Single().EndMicros, Is.EqualTo(15_000));
        Assert.That(history.Problems, Is.Empty);
    }

    [Test]
    public void A_completion_without_invoke_is_reported_as_a_problem()
    {
        var builder = new HistoryBuilder();
        builder.Add(new OperationCompleted(5, 77, OperationOutcome.Ok));

        var history = builder.Build();

        Assert.That(history.Problems, Has.Exactly(1).Contains("operation 77"));
        Assert.That(history.Operations, Is.Empty);
    }

    [Test]
    public void Two_completions_before_their_invoke_pair_the_first_and_report_the_second()
    {
        var builder = new HistoryBuilder();
        builder.Add(new OperationCompleted(5, 8, OperationOutcome.Ok));
        builder.Add(new OperationCompleted(6, 8, OperationOutcome.Fail));
        builder.Add(new OperationInvoked(1, 8, "w1", OperationKind.Write, "primary", "client->primary", "a", 1, "t"));

        var history = builder.Build();

        Assert.That(history.Operations.Single().Outcome, Is.EqualTo(OperationOutcome.Ok));
        Assert.That(history.Problems, Is.EqualTo(new[] { "operation 8 completed twice; the second completion is ignored" }));
    }

    [Test]
    public void An_operation_id_reused_after_its_pair_completed_keeps_the_first_operation()
    {
        var builder = new HistoryBuilder();
        builder.Add(new OperationInvoked(1, 7, "w1", OperationKind.Write, "primary", "client->primary", "a", 1, "t"));
        builder.Add(new OperationCompleted(2, 7, OperationOutcome.Ok));
        builder.Add(new OperationInvoked(3, 7, "w2", OperationKind.Write, "primary", "client->primary", "b", 2, "t"));

        var history = builder.Build();

        Assert.That(history.Operations.Single().WriteId, Is.EqualTo("a"));
        Assert.That(history.Problems, Has.Exactly(1).Contains("operation id 7 used twice"));
    }

    [Test]
    public async Task Concurrent_clients_lose_no_line()
    {
        var path = Path.Combine(directory, HistoryWriter.FileName);
        await using (var writer = HistoryWriter.Create(path, "s", 1, "primary"))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++)
                {
                    var op = writer.InvokeWrite("w" + client, "primary", "client->primary", $"{client}-{i}", (client * 1000) + i, "t");
                    writer.Complete(op.OperationId, OperationOutcome.Ok);
                }
            })));
        }

        var history = await HistoryReader.ReadAsync(path);

        Assert.That(history.Writes, Has.Length.EqualTo(2000));
        Assert.That(history.Writes.All(w => w.Outcome == OperationOutcome.Ok), Is.True);
        Assert.That(history.Problems, Is.Empty);
    }

    [Test]
    public void Appending_after_dispose_throws_and_dispose_twice_is_safe()
    {
        var writer = HistoryWriter.Open(Path.Combine(directory, "h.jsonl"));
        writer.Dispose();
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.StartEvent(EventKind.Heal, "cluster"));
    }

    [Test]
    public async Task Lines_longer_than_the_read_buffer_are_read_whole()
    {
        var path = Path.Combine(directory, HistoryWriter.FileName);
        var longTarget = new string('x', 3 << 20);
        using (var writer = HistoryWriter.Open(path))
        {
            writer.Append(new EventStarted(1, 1, EventKind.Fence, longTarget));
        }

        var history = await HistoryReader.ReadAsync(path);

        Assert.That(history.Events.Single().Target, Has.Length.EqualTo(longTarget.Length));
        Assert.That(Encoding.UTF8.GetByteCount(longTarget), Is.GreaterThan(1 << 20));
    }
}
