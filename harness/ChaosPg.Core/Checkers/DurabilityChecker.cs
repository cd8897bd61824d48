using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Every write acknowledged ok must be present on the final primary. Each lost write is named with its ack time, the
/// node that acknowledged it, its event window and its cause: acknowledged after a "canceling wait for synchronous
/// replication" warning (committed locally only) or acknowledged plainly. RPO = number of lost acknowledged writes;
/// the loss window runs from the first to the last lost ack. Each promotion an HA manager made is judged against what
/// its configuration promises (<see cref="ManagerPromise"/>): one <c>manager-promise</c> evidence item per promotion.
/// </summary>
/// <remarks>
/// Counts: acknowledged, lost, lostWithSyncWarning, lostPlain; with manager promotions, managerPromotions and
/// managerPromiseBroken (promotions whose promise did not hold). Figures: rpoWrites, lossWindowStartMicros,
/// lossWindowEndMicros, lossWindowMs. A scenario that allows loss (asynchronous failover) is judged by the runner on
/// these figures; this checker stays invalid whenever anything acknowledged is missing.
/// </remarks>
public sealed class DurabilityChecker : IChecker
{
    public string Name => "durability";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var primary = context.FinalState.FinalPrimary;
        var rows = context.RowsOf(primary);
        if (rows is null)
        {
            return new CheckerResult(
                Name,
                Verdict.Unknown,
                $"final primary {primary} has no reachable snapshot: durability cannot be judged",
                ImmutableSortedDictionary<string, long>.Empty,
                ImmutableSortedDictionary<string, double>.Empty,
                []);
        }

        var writes = history.Writes;
        var counts = rows.Counts;
        var acknowledged = context.Index.Acknowledged;
        long lostWithWarning = 0;
        var lost = new List<Operation>();
        foreach (var w in acknowledged)
        {
            if (counts[w] == 0)
            {
                lost.Add(writes[w]);
            }
        }

        lost.Sort(static (a, b) => a.EndMicros != b.EndMicros ? a.EndMicros.CompareTo(b.EndMicros) : string.CompareOrdinal(a.WriteId, b.WriteId));
        var evidence = ImmutableArray.CreateBuilder<Evidence>(lost.Count);
        foreach (var op in lost)
        {
            var warned = op.AcknowledgedWithSyncWarning;
            if (warned)
            {
                lostWithWarning++;
            }

            var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            details["cause"] = warned ? "acknowledged-after-sync-replication-warning" : "acknowledged-plainly";
            details["finalPrimary"] = primary;
            if (op.Seq is { } seq)
            {
                details["seq"] = Micros.Text(seq);
            }

            if (op.CommitLsn is { } lsn)
            {
                details["commitLsn"] = lsn.ToString();
            }

            evidence.Add(Evidence.ForOperation(
                history,
                op,
                op.EndMicros,
                op.WriteId!,
                $"acknowledged by {op.Node} at {Micros.Seconds(op.EndMicros)} but missing on final primary {primary}",
                details.ToImmutable()));
        }

        var promise = ManagerPromise.Judge(history, lost);
        evidence.Capacity += promise.Evidence.Length;
        evidence.AddRange(promise.Evidence);
        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        if (!promise.Summaries.IsEmpty)
        {
            countsOut["managerPromotions"] = promise.Summaries.Length;
            countsOut["managerPromiseBroken"] = promise.Broken;
        }

        countsOut["acknowledged"] = acknowledged.Length;
        countsOut["lost"] = lost.Count;
        countsOut["lostWithSyncWarning"] = lostWithWarning;
        countsOut["lostPlain"] = lost.Count - lostWithWarning;
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        figures["rpoWrites"] = lost.Count;
        string summary;
        if (lost.Count == 0)
        {
            summary = string.Create(CultureInfo.InvariantCulture, $"all {acknowledged.Length} acknowledged writes present on final primary {primary}");
        }
        else
        {
            var first = lost[0].EndMicros;
            var last = lost[^1].EndMicros;
            figures["lossWindowStartMicros"] = first;
            figures["lossWindowEndMicros"] = last;
            figures["lossWindowMs"] = Micros.ToMs(last - first);
            summary = string.Create(
                CultureInfo.InvariantCulture,
                $"{lost.Count} of {acknowledged.Length} acknowledged writes lost on final primary {primary} ({lostWithWarning} after a synchronous-replication warning, {lost.Count - lostWithWarning} plain), acknowledged {Micros.Seconds(first)}..{Micros.Seconds(last)}");
        }

        if (!promise.Summaries.IsEmpty)
        {
            summary += "; " + string.Join("; ", promise.Summaries);
        }

        return new CheckerResult(
            Name,
            lost.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            summary,
            countsOut.ToImmutable(),
            figures.ToImmutable(),
            evidence.ToImmutable());
    }
}
