using System.Collections.Immutable;
using System.Text.Json;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using ChaosPg.Core.Snapshots;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Core.Tests.Simulation;

public sealed class CorrectRunProperties
{
    private static (ImmutableArray<HistoryLine> Lines, FinalState State) Generate(int seed, byte size)
    {
        var lines = ImmutableArray.CreateBuilder<HistoryLine>();
        var state = new CorrectRunGenerator(seed, 300 + (size * 8)).Generate(lines.Add);
        return (lines.ToImmutable(), state);
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

    private static FinalState Without(FinalState state, string writeId) =>
        state with { Nodes = [.. state.Nodes.Select(n => n with { WriteIds = [.. n.WriteIds.Where(id => id != writeId)], Digest = null })] };

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property A_correct_cluster_history_is_valid_for_every_checker(int seed, byte size)
    {
        var (lines, state) = Generate(seed, size);

        var result = CheckerSuite.Default.Run(Build(lines), state);

        var failures = string.Join("; ", result.Results.Where(r => r.Verdict != Verdict.Valid).Select(r => $"{r.Checker}: {r.Summary}"));
        return (result.Verdict == Verdict.Valid).Label(failures);
    }

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property Removing_any_acknowledged_write_makes_durability_name_exactly_that_write(int seed, byte size, NonNegativeInt pick)
    {
        var (lines, state) = Generate(seed, size);
        var history = Build(lines);
        var acknowledged = history.Writes.Where(w => w.Outcome == OperationOutcome.Ok).ToArray();
        var victim = acknowledged[pick.Get % acknowledged.Length];

        var result = new DurabilityChecker().Check(new CheckContext(history, Without(state, victim.WriteId!)));

        return (result.Verdict == Verdict.Invalid
                && result.Evidence.Length == 1
                && result.Evidence[0].Id == victim.WriteId
                && result.Evidence[0].AtMicros == victim.EndMicros
                && result.Evidence[0].Node == victim.Node)
            .Label($"removed {victim.WriteId}, got {string.Join(",", result.Evidence.Select(e => e.Id))}");
    }

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property Adding_a_row_nobody_wrote_makes_phantoms_invalid(int seed, byte size, NonEmptyString ghost)
    {
        var (lines, state) = Generate(seed, size);
        var id = "ghost:" + ghost.Get;
        var haunted = state with { Nodes = [.. state.Nodes.Select(n => n.Node == state.FinalPrimary ? n with { WriteIds = n.WriteIds.Add(id) } : n)] };

        var result = new PhantomChecker().Check(new CheckContext(Build(lines), haunted));

        return (result.Verdict == Verdict.Invalid && result.Evidence.Single().Id == id).Label(result.Summary);
    }

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public Property Replica_staleness_matches_a_brute_force_count(int seed, byte size)
    {
        var (lines, state) = Generate(seed, size);
        var history = Build(lines);
        var timeline = new PrimaryTimeline(history);
        var acked = history.Writes.Where(w => w.Outcome == OperationOutcome.Ok).ToArray();
        var staleMs = new List<double>();
        var staleWrites = new List<double>();
        foreach (var read in history.Operations.Where(o => o.Kind == OperationKind.Read && o.Outcome == OperationOutcome.Ok))
        {
            var promoted = timeline.Promotions.LastOrDefault(p => p.EndMicros <= read.InvokeMicros)?.Target ?? history.InitialPrimary;
            if (promoted == read.Node)
            {
                continue;
            }

            var seen = read.Read!.MaxSeq ?? long.MinValue;
            var unseen = acked.Where(w => w.EndMicros < read.InvokeMicros && w.Seq > seen).ToArray();
            staleWrites.Add(unseen.Length);
            staleMs.Add(unseen.Length == 0 ? 0 : (read.InvokeMicros - unseen.Min(w => w.EndMicros)) / 1000.0);
        }

        var expected = new SortedDictionary<string, double>(StringComparer.Ordinal);
        Percentiles.AddTo(expected, "staleMs", [.. staleMs]);
        Percentiles.AddTo(expected, "staleWrites", [.. staleWrites]);

        var figures = new ReplicaReadChecker().Check(new CheckContext(history, state)).Figures;

        return (staleMs.Count > 0 && expected.All(p => figures[p.Key] == p.Value))
            .Label($"expected {string.Join(",", expected)} got {string.Join(",", figures)}");
    }

    [FsCheck.NUnit.Property(MaxTest = 15)]
    public Property Verdicts_do_not_depend_on_the_order_of_lines_in_the_file(int seed, byte size, int shuffleSeed)
    {
        var (lines, state) = Generate(seed, size);
        var lossy = Without(state, lines.OfType<OperationInvoked>().First(i => i.Kind == OperationKind.Write).WriteId!);
        var shuffled = lines.ToArray();
#pragma warning disable CA5394 // Deterministic shuffling, not security.
        new Random(shuffleSeed).Shuffle(shuffled);
#pragma warning restore CA5394
        var path = Path.Combine(Path.GetTempPath(), $"chaospg-shuffle-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var writer = HistoryWriter.Open(path))
            {
                foreach (var line in shuffled)
                {
                    writer.Append(line);
                }
            }

            var readBack = HistoryReader.ReadAsync(path).GetAwaiter().GetResult();
            var expected = JsonSerializer.Serialize(CheckerSuite.Default.Run(Build(lines), lossy), CoreJsonContext.Default.SuiteResult);
            var actual = JsonSerializer.Serialize(CheckerSuite.Default.Run(readBack, lossy), CoreJsonContext.Default.SuiteResult);
            return (expected == actual).Label("suite results differ after shuffle + write + read");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
