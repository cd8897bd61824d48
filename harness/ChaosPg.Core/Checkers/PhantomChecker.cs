using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Every row present on any reachable node must have been written by an operation of the history, and no write whose
/// outcome was fail may be present. Indeterminate writes may be present or absent; how many of each (on the final
/// primary) is reported.
/// </summary>
/// <remarks>Counts: unknownRows, failedPresent, indeterminatePresent, indeterminateAbsent, nodesChecked.</remarks>
public sealed class PhantomChecker : IChecker
{
    public string Name => "phantoms";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var writes = history.Writes;
        var index = context.Index;
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        long unknownRows = 0, failedPresent = 0, nodesChecked = 0;
        foreach (var snapshot in context.FinalState.Nodes.OrderBy(n => n.Node, StringComparer.Ordinal))
        {
            var rows = context.RowsOf(snapshot.Node);
            if (rows is null)
            {
                continue;
            }

            nodesChecked++;
            foreach (var (writeId, count) in rows.UnknownIds)
            {
                unknownRows += count;
                evidence.Add(Evidence.ForNode(
                    history,
                    writeId,
                    snapshot.Node,
                    null,
                    $"row {writeId} present on {snapshot.Node} but no operation wrote it",
                    ImmutableSortedDictionary<string, string>.Empty.Add("rows", Micros.Text(count))));
            }

            var counts = rows.Counts;
            foreach (var i in index.Failed)
            {
                if (counts[i] == 0)
                {
                    continue;
                }

                var op = writes[i];
                failedPresent++;
                var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                details["presentOn"] = snapshot.Node;
                if (op.Error is { } error)
                {
                    details["errorClass"] = error.ErrorClass;
                    if (error.SqlState is not null)
                    {
                        details["sqlState"] = error.SqlState;
                    }
                }

                evidence.Add(Evidence.ForOperation(
                    history,
                    op,
                    op.EndMicros,
                    op.WriteId!,
                    $"write failed at {Micros.Seconds(op.EndMicros)} on {op.Node} but is present on {snapshot.Node}",
                    details.ToImmutable()));
            }
        }

        long indeterminatePresent = 0, indeterminateAbsent = 0;
        var primaryRows = context.RowsOf(context.FinalState.FinalPrimary);
        if (primaryRows is not null)
        {
            foreach (var i in index.Indeterminate)
            {
                if (primaryRows.Counts[i] > 0)
                {
                    indeterminatePresent++;
                }
                else
                {
                    indeterminateAbsent++;
                }
            }
        }

        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        countsOut["unknownRows"] = unknownRows;
        countsOut["failedPresent"] = failedPresent;
        countsOut["indeterminatePresent"] = indeterminatePresent;
        countsOut["indeterminateAbsent"] = indeterminateAbsent;
        countsOut["nodesChecked"] = nodesChecked;
        var phantoms = unknownRows + failedPresent;
        var verdict = phantoms > 0 ? Verdict.Invalid : nodesChecked == 0 ? Verdict.Unknown : Verdict.Valid;
        var summary = verdict switch
        {
            Verdict.Invalid => string.Create(CultureInfo.InvariantCulture, $"{phantoms} phantom rows: {unknownRows} written by no operation, {failedPresent} from failed writes"),
            Verdict.Unknown => "no reachable node snapshot: phantoms cannot be judged",
            _ => string.Create(CultureInfo.InvariantCulture, $"no phantom rows on {nodesChecked} nodes; indeterminate writes on the final primary: {indeterminatePresent} present, {indeterminateAbsent} absent"),
        };
        return new CheckerResult(
            Name,
            verdict,
            summary,
            countsOut.ToImmutable(),
            ImmutableSortedDictionary<string, double>.Empty,
            evidence.ToImmutable());
    }
}
