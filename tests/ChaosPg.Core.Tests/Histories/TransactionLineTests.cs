using System.Collections.Immutable;
using System.Text.Json;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Histories;

public sealed class TransactionLineTests
{
    [Test]
    public async Task A_transaction_written_by_the_writer_reads_back_with_its_micro_ops_model_and_read_values()
    {
        var path = Path.Combine(Path.GetTempPath(), "chaospg-txn-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            await using (var writer = HistoryWriter.Create(path, "la", 7, "primary", "snapshot-isolation"))
            {
                var invoke = writer.InvokeTxn("t1", "replica1", "client->replica1", [MicroOp.Append(3, 17), MicroOp.Read(4)]);
                writer.Complete(invoke.OperationId, OperationOutcome.Ok, txn: [MicroOp.Append(3, 17), MicroOp.Read(4, [1, 2])]);
                var failed = writer.InvokeTxn("t2", "primary", "client->primary", [MicroOp.Append(3, 18)]);
                writer.Complete(failed.OperationId, OperationOutcome.Fail, new OperationError("40001", "serialization-failure"));
            }

            var text = await File.ReadAllTextAsync(path);
            var history = await HistoryReader.ReadAsync(path);

            Assert.That(text, Does.Contain("[\"append\",3,17],[\"r\",4,null]").And.Contain("[\"r\",4,[1,2]]"));
            Assert.That(history.Header!.ConsistencyModel, Is.EqualTo("snapshot-isolation"));
            Assert.That(history.Operations.Select(o => o.Kind), Is.All.EqualTo(OperationKind.Txn));
            Assert.That(history.Operations[0].Transaction, Is.EqualTo(ImmutableArray.Create(MicroOp.Append(3, 17), MicroOp.Read(4, [1, 2]))));
            Assert.That(history.Operations[1].Transaction, Is.EqualTo(ImmutableArray.Create(MicroOp.Append(3, 18))), "a failed transaction keeps what it tried");
            Assert.That(history.Writes, Is.Empty, "transactions are not single writes");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_malformed_micro_op_is_a_format_error_not_a_crash()
    {
        var line = """{"type":"invoke","atMicros":1,"operationId":1,"client":"t1","kind":"txn","node":"primary","link":"l","txn":[["cas",1,2]]}"""u8.ToArray();

        Assert.That(() => new HistoryLineParser().Parse(line), Throws.InstanceOf<JsonException>());
    }
}
