using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Core.Checkers;

/// <summary>No write id may be stored more than once on any reachable node (a retried insert applied twice).</summary>
/// <remarks>Counts: duplicateIds (ids stored more than once, per node), extraRows (rows beyond the first), nodesChecked.</remarks>
public sealed class DuplicateChecker : IChecker
{
    public string Name => "duplicates";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var writes = history.Writes;
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        long duplicateIds = 0, extraRows = 0, nodesChecked = 0;
        foreach (var snapshot in context.FinalState.Nodes.OrderBy(n => n.Node, StringComparer.Ordinal))
        {
            var rows = context.RowsOf(snapshot.Node);
            if (rows is null)
            {
                continue;
            }

            nodesChecked++;
            var counts = rows.Counts;
            for (var i = 0; i < writes.Length; i++)
            {
                if (counts[i] > 1)
                {
                    duplicateIds++;
                    extraRows += counts[i] - 1;
                    evidence.Add(Evidence.ForOperation(
                        history,
                        writes[i],
                        writes[i].EndMicros,
                        writes[i].WriteId!,
                        string.Create(CultureInfo.InvariantCulture, $"stored {counts[i]} times on {snapshot.Node}"),
                        ImmutableSortedDictionary<string, string>.Empty.Add("rows", Micros.Text(counts[i])).Add("presentOn", snapshot.Node)));
                }
            }

            foreach (var (writeId, count) in rows.UnknownIds)
            {
                if (count > 1)
                {
                    duplicateIds++;
                    extraRows += count - 1;
                    evidence.Add(Evidence.ForNode(
                        history,
                        writeId,
                        snapshot.Node,
                        null,
                        string.Create(CultureInfo.InvariantCulture, $"stored {count} times on {snapshot.Node} (and written by no operation)"),
                        ImmutableSortedDictionary<string, string>.Empty.Add("rows", Micros.Text(count))));
                }
            }
        }

        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        countsOut["duplicateIds"] = duplicateIds;
        countsOut["extraRows"] = extraRows;
        countsOut["nodesChecked"] = nodesChecked;
        var verdict = duplicateIds > 0 ? Verdict.Invalid : nodesChecked == 0 ? Verdict.Unknown : Verdict.Valid;
        var summary = verdict switch
        {
            Verdict.Invalid => string.Create(CultureInfo.InvariantCulture, $"{duplicateIds} write ids stored more than once ({extraRows} extra rows)"),
            Verdict.Unknown => "no reachable node snapshot: duplicates cannot be judged",
            _ => string.Create(CultureInfo.InvariantCulture, $"no duplicate rows on {nodesChecked} nodes"),
        };
        return new CheckerResult(Name, verdict, summary, countsOut.ToImmutable(), ImmutableSortedDictionary<string, double>.Empty, evidence.ToImmutable());
    }
}
