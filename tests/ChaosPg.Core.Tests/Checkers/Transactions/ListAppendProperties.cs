using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Core.Tests.Checkers.Transactions;

public sealed class ListAppendProperties
{
    // Each anomaly as a handful of transactions on keys "x", "y", "z", and the name the checker must give it.
    private static readonly (string Name, (string Ops, OperationOutcome Outcome)[] Txns)[] Injections =
    [
        ("G0", [("append x 1; append y 1", OperationOutcome.Ok), ("append x 2; append y 2", OperationOutcome.Ok), ("r x [1 2]; r y [2 1]", OperationOutcome.Ok)]),
        ("G1a", [("append x 1", OperationOutcome.Fail), ("r x [1]", OperationOutcome.Ok)]),
        ("G1b", [("append x 1; append x 2", OperationOutcome.Ok), ("r x [1]", OperationOutcome.Ok), ("r x [1 2]", OperationOutcome.Ok)]),
        ("G1c", [("append x 1; r y [1]", OperationOutcome.Ok), ("append y 1; r x [1]", OperationOutcome.Ok)]),
        ("G-single", [("append x 1; append y 1", OperationOutcome.Ok), ("r x []; r y [1]", OperationOutcome.Ok), ("r x [1]", OperationOutcome.Ok)]),
        ("G2-item", [("r x []; append y 1", OperationOutcome.Ok), ("r y []; append x 1", OperationOutcome.Ok), ("r x [1]; r y [1]", OperationOutcome.Ok)]),
        ("G-nonadjacent", [("append x 1", OperationOutcome.Ok), ("r x [1]; r y []", OperationOutcome.Ok), ("append y 1; append z 1", OperationOutcome.Ok), ("append z 2; r x []", OperationOutcome.Ok), ("r y [1]; r z [1 2]", OperationOutcome.Ok)]),
        ("Long Fork", [("append x 1", OperationOutcome.Ok), ("append y 1", OperationOutcome.Ok), ("r x [1]; r y []", OperationOutcome.Ok), ("r x []; r y [1]", OperationOutcome.Ok)]),
        ("incompatible-order", [("append x 1", OperationOutcome.Ok), ("append x 2", OperationOutcome.Ok), ("r x [1 2]", OperationOutcome.Ok), ("r x [2]", OperationOutcome.Ok)]),
        ("garbage-read", [("r x [99]", OperationOutcome.Ok)]),
        ("duplicate-elements", [("append x 1", OperationOutcome.Ok), ("r x [1 1]", OperationOutcome.Ok)]),
    ];

    private static List<HistoryLine> Clean(int seed, byte size)
    {
        var lines = new List<HistoryLine>();
        new ListAppendRunGenerator(seed, 50 + (size * 4), maxMicroOps: 1 + (size % 6)).Generate(lines.Add);
        return lines;
    }

    private static History Build(IEnumerable<HistoryLine> lines)
    {
        var builder = new HistoryBuilder();
        foreach (var line in lines)
        {
            builder.Add(line);
        }

        return builder.Build();
    }

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property A_generated_serializable_history_has_no_anomaly_even_under_strict_serializability(int seed, byte size)
    {
        var history = Build(Clean(seed, size));

        var analysis = ListAppendChecker.Analyze(history, ConsistencyModel.StrictSerializable);

        return (analysis.Found.Count == 0 && analysis.Transactions > 0 && analysis.Edges > 0)
            .Label(string.Join(", ", analysis.Found.Keys) + " " + string.Join(" | ", analysis.Examples.Take(1).SelectMany(a => a.Steps)));
    }

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property Every_injected_anomaly_is_found_with_its_name_and_nothing_else_is(int seed, byte size, NonNegativeInt pick, NonNegativeInt place)
    {
        var (name, txns) = Injections[pick.Get % Injections.Length];
        var clean = Clean(seed, size);
        var lastId = clean.OfType<OperationInvoked>().Max(i => i.OperationId);

        // The anomaly's transactions go on fresh keys, interleaved in time anywhere in the clean history.
        var offsets = clean.Where(l => l is OperationInvoked).Select(l => l.AtMicros).ToArray();
        var at = offsets[place.Get % offsets.Length];
        var script = new TxnScript(firstOperation: lastId, prefix: clean);
        var fresh = ListAppendRunGenerator.FreshKeys + (pick.Get * 10L);
        foreach (var (ops, outcome) in txns)
        {
            var renamed = ops.Replace("x", (fresh + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("y", (fresh + 2).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("z", (fresh + 3).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            script.Txn(renamed, outcome, invokeMicros: at, completeMicros: at + 5);
            at += 1;
        }

        var analysis = ListAppendChecker.Analyze(script.Build(), ConsistencyModel.Serializable);

        // An intermediate read also closes a G-single through its writer's later append; every other injection is
        // exactly the one anomaly.
        var expected = name == "G1b" ? ImmutableArray.Create("G-single", "G1b") : [name];
        return analysis.Found.Keys.SequenceEqual(expected)
            .Label($"injected {name}, found {string.Join(", ", analysis.Found.Select(f => f.Key + " x" + f.Value))}");
    }
}
