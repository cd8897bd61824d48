using System.Text;
using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using ChaosPg.Core.Snapshots;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Core.Tests.Histories;

/// <summary>
/// The streaming reader (<see cref="HistoryReader"/>, its pooled names and byte-level LSNs, and snapshots sharing the
/// history's write ids) against the format's own definition: every line deserialized by the source-generated
/// serializer into a <see cref="HistoryBuilder"/>, and the snapshots by the serializer alone. Both must give the same
/// checker results, to the last evidence line.
/// </summary>
public sealed class HistoryReaderEquivalenceTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-reader-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_recorded_history_checks_the_same_through_the_streaming_reader_and_the_serializer()
    {
        var fixture = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "run-recorded");
        var historyPath = Path.Combine(fixture, HistoryWriter.FileName);
        var snapshotsPath = Path.Combine(fixture, FinalStateStore.FileName);

        var (streamed, reference) = await BothAsync(historyPath, snapshotsPath, listAppend: false, chunk: null);

        Assert.That(reference, Does.Contain("\"durability\""), "the fixture is judged by the single-write checkers");
        Assert.That(streamed, Is.EqualTo(reference));
    }

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property A_simulated_history_checks_the_same_through_both_paths_in_any_read_sizes(int seed, byte size, PositiveInt chunk)
    {
        var historyPath = Path.Combine(directory, $"writes-{seed}-{size}-{chunk.Get}.jsonl");
        var snapshotsPath = Path.ChangeExtension(historyPath, ".json");
        using (var writer = HistoryWriter.Open(historyPath))
        {
            var state = new CorrectRunGenerator(seed, 200 + (size * 4)).Generate(writer.Append);
            FinalStateStore.SaveAsync(snapshotsPath, state).GetAwaiter().GetResult();
        }

        var (streamed, reference) = BothAsync(historyPath, snapshotsPath, listAppend: false, 1 + (chunk.Get % 4096)).GetAwaiter().GetResult();

        return (streamed == reference).Label(Difference(streamed, reference));
    }

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property A_list_append_history_checks_the_same_through_both_paths_in_any_read_sizes(int seed, byte size, PositiveInt chunk)
    {
        var historyPath = Path.Combine(directory, $"txns-{seed}-{size}-{chunk.Get}.jsonl");
        using (var writer = HistoryWriter.Open(historyPath))
        {
            new ListAppendRunGenerator(seed, 50 + (size * 2), maxMicroOps: 1 + (size % 6)).Generate(writer.Append);
        }

        var (streamed, reference) = BothAsync(historyPath, null, listAppend: true, 1 + (chunk.Get % 4096)).GetAwaiter().GetResult();

        return (streamed == reference && streamed.Contains("\"transactions\"", StringComparison.Ordinal)).Label(Difference(streamed, reference));
    }

    [Test]
    public async Task A_torn_last_line_and_escaped_names_read_the_same_through_both_paths()
    {
        var historyPath = Path.Combine(directory, HistoryWriter.FileName);
        var lines = new List<HistoryLine>();
        new CorrectRunGenerator(5, 300).Generate(lines.Add);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            // Another writer may escape differently: "client-\u003Eprimary" here becomes "client->primary" on some lines.
            var json = JsonSerializer.Serialize(line, CoreJsonContext.Default.HistoryLine);
            text.Append(line.AtMicros % 2 == 0 ? json : json.Replace("\\u003E", ">", StringComparison.Ordinal)).Append('\n');
        }

        text.Append("{\"type\":\"invoke\",\"operationId\":99999,\"cli");
        await File.WriteAllTextAsync(historyPath, text.ToString());

        var streamed = await HistoryReader.ReadAsync(historyPath);
        var reference = await ReferenceReadAsync(historyPath);

        Assert.That(streamed.TornTail, Is.True);
        Assert.That(streamed.Operations.Select(o => o.Link).Distinct(), Is.EquivalentTo(reference.Operations.Select(o => o.Link).Distinct()));
        Assert.That(Check(streamed, listAppend: false), Is.EqualTo(Check(reference, listAppend: false)));
    }

    private static async Task<(string Streamed, string Reference)> BothAsync(string historyPath, string? snapshotsPath, bool listAppend, int? chunk)
    {
        History streamed;
        var file = File.OpenRead(historyPath);
        await using (file)
        {
            Stream source = chunk is null ? file : new TrickleStream(file, chunk.Value);
            streamed = await HistoryReader.ReadAsync(source, historyPath);
        }

        var reference = await ReferenceReadAsync(historyPath);
        var streamedState = snapshotsPath is null ? Empty(streamed) : await FinalStateStore.LoadAsync(snapshotsPath, streamed);
        var referenceState = snapshotsPath is null ? Empty(reference) : await FinalStateStore.LoadAsync(snapshotsPath);
        return (Check(streamed, streamedState, listAppend), Check(reference, referenceState, listAppend));
    }

    // The format's definition: the polymorphic, source-generated deserializer, one line at a time.
    private static async Task<History> ReferenceReadAsync(string historyPath)
    {
        var builder = new HistoryBuilder();
        var lines = await File.ReadAllLinesAsync(historyPath);
        foreach (var line in lines)
        {
            try
            {
                builder.Add(JsonSerializer.Deserialize(line, CoreJsonContext.Default.HistoryLine)!);
            }
            catch (JsonException) when (ReferenceEquals(line, lines[^1]))
            {
                builder.MarkTornTail();
            }
        }

        return builder.Build();
    }

    private static FinalState Empty(History history) => new(history.InitialPrimary, history.EndMicros, []);

    private static string Check(History history, bool listAppend) => Check(history, Empty(history), listAppend);

    private static string Check(History history, FinalState state, bool listAppend)
    {
        SuiteResult result;
        if (listAppend)
        {
            var transactions = new ListAppendChecker().Check(new CheckContext(history, state));
            result = new SuiteResult(transactions.Verdict, [transactions]);
        }
        else
        {
            result = CheckerSuite.Default.Run(history, state);
        }

        return JsonSerializer.Serialize(result, CoreJsonContext.Default.SuiteResult)
            + $" operations={history.Operations.Length} events={history.Events.Length} problems={string.Join('|', history.Problems)} torn={history.TornTail}";
    }

    private static string Difference(string streamed, string reference)
    {
        var at = 0;
        while (at < Math.Min(streamed.Length, reference.Length) && streamed[at] == reference[at])
        {
            at++;
        }

        return $"first difference at {at}: streamed '{Around(streamed, at)}' vs serializer '{Around(reference, at)}'";
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 40), Math.Min(120, text.Length - Math.Max(0, at - 40)));

    /// <summary>A test double of a file that returns at most <c>chunk</c> bytes a read, so lines straddle every read.</summary>
    private sealed class TrickleStream(Stream inner, int chunk) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
