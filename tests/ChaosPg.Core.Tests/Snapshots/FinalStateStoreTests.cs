using System.Text.Json;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Tests.Snapshots;

public sealed class FinalStateStoreTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-snapshots-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task Loading_with_the_history_reuses_its_write_id_strings_and_reads_the_same_state()
    {
        // Escaped and long ids take the slower paths of the reader; the ghost is written by no operation.
        var longId = new string('x', 300);
        var history = new HistoryScript().Write("a", 0, 1).Write("café", 2, 3).Write(longId, 4, 5).Build();
        var state = HistoryScript.State(
            "primary",
            HistoryScript.Node("primary", "a", "café", longId, "ghost"),
            HistoryScript.Node("replica1", "a"),
            NodeSnapshot.Unreachable("replica2", "connection refused"));
        var path = Path.Combine(directory, FinalStateStore.FileName);
        await FinalStateStore.SaveAsync(path, state);

        var plain = await FinalStateStore.LoadAsync(path);
        var shared = await FinalStateStore.LoadAsync(path, history);

        Assert.That(JsonSerializer.Serialize(shared, CoreJsonContext.Default.FinalState), Is.EqualTo(JsonSerializer.Serialize(plain, CoreJsonContext.Default.FinalState)));
        var ids = shared.Find("primary")!.WriteIds;
        Assert.That(Enumerable.Range(0, 3).Select(i => ReferenceEquals(ids[i], history.Writes[i].WriteId)), Is.All.True);
        Assert.That(ids[3], Is.EqualTo("ghost"));
    }

    [Test]
    public async Task Rows_far_from_insert_order_still_share_the_history_s_strings()
    {
        // Reversed, with the ghost in the middle: every id but the first few is beyond the look-ahead of insert order.
        var script = new HistoryScript();
        var written = Enumerable.Range(0, 40).Select(i => "w-" + i).ToArray();
        for (var i = 0; i < written.Length; i++)
        {
            script.Write(written[i], i * 2, (i * 2) + 1);
        }

        var history = script.Build();
        string[] rows = [.. written.Reverse().Take(20), "ghost", .. written.Reverse().Skip(20), "w-3"];
        var path = Path.Combine(directory, FinalStateStore.FileName);
        await FinalStateStore.SaveAsync(path, HistoryScript.State("primary", HistoryScript.Node("primary", rows)));

        var ids = (await FinalStateStore.LoadAsync(path, history)).Find("primary")!.WriteIds;

        Assert.That(ids, Is.EqualTo(rows));
        Assert.That(ids.Where(id => id != "ghost").Select(id => history.TryGetWriteIndex(id, out var index) && ReferenceEquals(id, history.Writes[index].WriteId)), Is.All.True);
    }

    [Test]
    public void A_write_id_that_is_not_a_string_is_a_json_error()
    {
        var path = Path.Combine(directory, FinalStateStore.FileName);
        File.WriteAllText(path, """{"finalPrimary":"primary","atMicros":1,"nodes":[{"node":"primary","reachable":true,"role":"primary","writeIds":[1]}]}""");

        Assert.ThrowsAsync<JsonException>(() => FinalStateStore.LoadAsync(path, new HistoryScript().Build()));
    }
}
