using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;

namespace ChaosPg.Core.Tests.Histories;

public sealed class HistoryLineParserTests
{
    private static readonly HistoryLine[] EveryShape =
    [
        new RunStarted(0, "failover", -7, new DateTimeOffset(2026, 11, 26, 20, 0, 0, TimeSpan.Zero), "primary"),
        new OperationInvoked(1, 1, "w1", OperationKind.Write, "primary", "client->primary", "id-\"quoted\"", 9, "chaos_writes"),
        new OperationInvoked(2, 2, "r1", OperationKind.Read, "replica1", "client->replica1"),
        new OperationCompleted(3, 1, OperationOutcome.Ok, CommitLsn: Lsn.Parse("1/A0"), Notices: [HistoryScript.SyncNotice(), new ServerNotice("NOTICE", "00000", "hi")]),
        new OperationCompleted(4, 2, OperationOutcome.Ok, Read: new ReadResult(9, 10, Lsn.Parse("0/10"))),
        new OperationCompleted(5, 3, OperationOutcome.Ok, Read: new ReadResult(null)),
        new OperationCompleted(6, 4, OperationOutcome.Fail, new OperationError("40001", "serialization", "could not serialize")),
        new OperationCompleted(7, 5, OperationOutcome.Indeterminate, new OperationError(null, "connection-lost")),
        new EventStarted(8, 1, EventKind.WaitConverged, "cluster", ImmutableDictionary<string, string>.Empty.Add("timeout", "30s")),
        new EventStarted(9, 2, EventKind.Partition, "replica1->primary"),
        new EventEnded(10, 1, false, "timed out"),
        new EventEnded(11, 2),
    ];

    private static string Json(HistoryLine line) => JsonSerializer.Serialize(line, CoreJsonContext.Default.HistoryLine);

    private static HistoryLine Parse(string json) => new HistoryLineParser().Parse(Encoding.UTF8.GetBytes(json));

    [Test]
    public void The_parser_reads_back_every_line_shape_the_serializer_writes()
    {
        foreach (var line in EveryShape)
        {
            var json = Json(line);

            Assert.That(Json(Parse(json)), Is.EqualTo(json));
        }
    }

    [Test]
    public void The_parser_reads_back_every_simulated_line()
    {
        var mismatches = new List<string>();
        new CorrectRunGenerator(3, 2000).Generate(line =>
        {
            var json = Json(line);
            var again = Json(Parse(json));
            if (again != json)
            {
                mismatches.Add(json + " => " + again);
            }
        });

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void The_parser_accepts_any_property_order_and_skips_unknown_properties()
    {
        var line = Parse("{\"future\":{\"a\":[1,2]},\"atMicros\":5,\"target\":\"primary\",\"kind\":\"kill\",\"eventId\":3,\"type\":\"event-start\"}");

        Assert.That(line, Is.EqualTo(new EventStarted(5, 3, EventKind.Kill, "primary")));
    }

    [TestCase("{\"atMicros\":5}")]
    [TestCase("{\"type\":\"invoke\",\"atMicros\":5}")]
    [TestCase("{\"type\":\"event-start\",\"kind\":\"meteor\",\"target\":\"x\",\"eventId\":1,\"atMicros\":1}")]
    [TestCase("[1]")]
    [TestCase("{\"type\":\"event-end\",\"eventId\":1")]
    public void The_parser_rejects_what_is_not_a_history_line(string json) =>
        Assert.That(() => Parse(json), Throws.InstanceOf<JsonException>());

    [Test]
    public void One_parser_hands_back_one_string_per_name_however_it_is_escaped_and_however_many_names_there_are()
    {
        var parser = new HistoryLineParser();
        var links = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var link = i % 2 == 0 ? "client-\\u003Enode" + (i % 100) : "client->node" + (i % 100);
            var invoke = (OperationInvoked)parser.Parse(Encoding.UTF8.GetBytes(
                $"{{\"type\":\"invoke\",\"operationId\":{i},\"client\":\"r1\",\"kind\":\"read\",\"node\":\"node{i % 100}\",\"link\":\"{link}\",\"atMicros\":{i}}}"));
            links.Add(invoke.Link);
        }

        Assert.That(links.Distinct().Count(), Is.EqualTo(100));
        Assert.That(links, Has.All.StartWith("client->node"));
        Assert.That(ReferenceEquals(links[1], links[101]), Is.True, "the same spelling of a name is one string");
    }

    [TestCase("{\"type\":\"complete\",\"operationId\":1,\"outcome\":\"ok\",\"commitLsn\":\"0\\u002FC8\",\"atMicros\":2}")]
    [TestCase("{\"type\":\"complete\",\"operationId\":1,\"outcome\":\"ok\",\"commitLsn\":\"0/C8\",\"atMicros\":2}")]
    public void An_escaped_lsn_reads_as_the_same_lsn(string json) =>
        Assert.That(((OperationCompleted)Parse(json)).CommitLsn, Is.EqualTo(Lsn.Parse("0/C8")));

    [Test]
    public void An_escaped_property_name_is_still_that_property() =>
        Assert.That(Parse("{\"type\":\"event-end\",\"\\u0065ventId\":4,\"atMicros\":9}"), Is.EqualTo(new EventEnded(9, 4)));
}
