using System.Collections.Immutable;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers.Transactions;

/// <summary>
/// Writes list-append transactions as history lines, for hand-made checker tests: "append x 1; r y [1 2]". Each
/// transaction runs on its own client from <c>at</c> to <c>at + 1</c> ms unless told otherwise.
/// </summary>
internal sealed class TxnScript
{
    private readonly List<HistoryLine> lines;
    private long nextOperation;
    private long clock;

    public TxnScript(string? model = "serializable", long firstOperation = 0, IEnumerable<HistoryLine>? prefix = null)
    {
        lines = prefix is null ? [new RunStarted(0, "test", 1, DateTimeOffset.UnixEpoch, "primary", model)] : [.. prefix];
        nextOperation = firstOperation;
        clock = lines.Count == 0 ? 0 : lines.Max(l => l.AtMicros);
    }

    public IReadOnlyList<HistoryLine> Lines => lines;

    /// <summary>Adds a transaction and returns its operation id.</summary>
    public long Txn(string ops, OperationOutcome outcome = OperationOutcome.Ok, string? client = null, string node = "primary", long? invokeMicros = null, long? completeMicros = null)
    {
        var id = ++nextOperation;
        var done = Parse(ops);
        var invoke = invokeMicros ?? (clock += 1_000);
        var complete = completeMicros ?? invoke + 500;
        var planned = done.Select(m => m.Kind == MicroOpKind.Read ? MicroOp.Read(m.Key) : m).ToImmutableArray();
        lines.Add(new OperationInvoked(invoke, id, client ?? "c" + id, OperationKind.Txn, node, "client->" + node, Txn: planned));
        lines.Add(outcome == OperationOutcome.Ok
            ? new OperationCompleted(complete, id, outcome, Txn: done)
            : new OperationCompleted(complete, id, outcome, outcome == OperationOutcome.Fail ? new OperationError("40001", "serialization-failure") : new OperationError("08006", "connection-lost")));
        return id;
    }

    public History Build()
    {
        var builder = new HistoryBuilder();
        foreach (var line in lines)
        {
            builder.Add(line);
        }

        return builder.Build();
    }

    // "append 1 5; r 2 [1 2]; r 3 []": keys and values are numbers; x, y, z stand for keys 1, 2, 3.
    private static ImmutableArray<MicroOp> Parse(string ops)
    {
        var result = ImmutableArray.CreateBuilder<MicroOp>();
        foreach (var part in ops.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Replace("[", " [ ", StringComparison.Ordinal).Replace("]", " ] ", StringComparison.Ordinal)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var key = Key(words[1]);
            if (words[0] == "append")
            {
                result.Add(MicroOp.Append(key, long.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                result.Add(MicroOp.Read(key, [.. words.Skip(3).TakeWhile(w => w != "]").Select(w => long.Parse(w, System.Globalization.CultureInfo.InvariantCulture))]));
            }
        }

        return result.ToImmutable();
    }

    private static long Key(string word) => word switch
    {
        "x" => 1,
        "y" => 2,
        "z" => 3,
        _ => long.Parse(word, System.Globalization.CultureInfo.InvariantCulture),
    };
}
