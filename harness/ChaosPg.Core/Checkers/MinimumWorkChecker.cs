using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Guards a checker against vacuous passes: its <c>valid</c> stands only when the workload did enough before the
/// run's first fault for the property to have been tested; otherwise the verdict is <c>unknown</c>, with the reason.
/// An invalid or unknown verdict passes through (a lost write is evidence however little was written).
/// </summary>
/// <remarks>
/// Enough means: at least <see cref="AcknowledgedBeforeFault"/> writes acknowledged by the node that was primary when
/// the first fault began (the one then killed, partitioned or promoted away), before it began; and at least
/// <see cref="OkReads"/> ok reads in the whole run. Without a fault the whole run counts. Counts added:
/// acknowledgedBeforeFirstFault, requiredAcknowledgedBeforeFirstFault, and with a read threshold okReadsJudged,
/// requiredOkReads; figure firstFaultAtMicros. The threshold's evidence is an item with id <c>too-little-work</c>.
/// </remarks>
public sealed class MinimumWorkChecker : IChecker
{
    private readonly IChecker inner;

    /// <param name="inner">The checker whose valid needs the work.</param>
    /// <param name="acknowledgedBeforeFault">Writes the primary must have acknowledged before the first fault.</param>
    /// <param name="okReads">Ok reads the run must have (0: none needed).</param>
    public MinimumWorkChecker(IChecker inner, int acknowledgedBeforeFault, int okReads = 0, bool transactionsCount = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(acknowledgedBeforeFault);
        ArgumentOutOfRangeException.ThrowIfNegative(okReads);
        this.inner = inner;
        AcknowledgedBeforeFault = acknowledgedBeforeFault;
        OkReads = okReads;
        TransactionsCount = transactionsCount;
    }

    public string Name => inner.Name;

    /// <summary>Writes acknowledged by the primary before the first fault that a valid verdict needs.</summary>
    public int AcknowledgedBeforeFault { get; }

    /// <summary>Ok reads that a valid verdict needs.</summary>
    public int OkReads { get; }

    /// <summary>Whether acknowledged list-append transactions that appended count as acknowledged writes.</summary>
    public bool TransactionsCount { get; }

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = inner.Check(context);
        var history = context.History;
        var index = context.Index;
        var fault = FirstFault(history);
        var faultAt = fault?.StartMicros ?? long.MaxValue;
        var promotion = index.Timeline.LastPromotionAt(faultAt);
        var primary = promotion < 0 ? index.InitialPrimary : index.PromotionNodes[promotion];
        var primaryName = promotion < 0 ? history.InitialPrimary : index.Timeline.Promotions[promotion].Target;
        var acknowledged = 0;
        foreach (var w in index.Acknowledged)
        {
            var write = index.Writes[w];
            if (write.Node == primary && write.EndMicros < faultAt)
            {
                acknowledged++;
            }
        }

        if (TransactionsCount)
        {
            // A list-append transaction that appended is work for a checker that compares the nodes' data.
            foreach (var op in history.Operations)
            {
                if (op.Kind == OperationKind.Txn && op.Outcome == OperationOutcome.Ok && op.Node == primaryName && op.EndMicros < faultAt
                    && op.Transaction.Any(m => m.Kind == MicroOpKind.Append))
                {
                    acknowledged++;
                }
            }
        }

        var okReads = index.OkReads.Length;
        var counts = result.Counts.ToBuilder();
        counts["acknowledgedBeforeFirstFault"] = acknowledged;
        counts["requiredAcknowledgedBeforeFirstFault"] = AcknowledgedBeforeFault;
        if (OkReads > 0)
        {
            counts["okReadsJudged"] = okReads;
            counts["requiredOkReads"] = OkReads;
        }

        var figures = result.Figures;
        if (fault is not null)
        {
            figures = figures.SetItem("firstFaultAtMicros", fault.StartMicros);
        }

        var before = fault is null
            ? "in the whole run (no fault)"
            : $"before the first fault ({fault.Kind.ToString().ToLowerInvariant()} of {fault.Target} at {Micros.Seconds(fault.StartMicros)})";
        var shortfalls = new List<string>();
        if (acknowledged < AcknowledgedBeforeFault)
        {
            shortfalls.Add(string.Create(CultureInfo.InvariantCulture, $"{acknowledged} writes acknowledged by {primaryName} {before}, at least {AcknowledgedBeforeFault} needed"));
        }

        if (okReads < OkReads)
        {
            shortfalls.Add(string.Create(CultureInfo.InvariantCulture, $"{okReads} ok reads, at least {OkReads} needed"));
        }

        if (result.Verdict != Verdict.Valid || shortfalls.Count == 0)
        {
            return result with { Counts = counts.ToImmutable(), Figures = figures };
        }

        var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        details["acknowledgedBeforeFirstFault"] = Micros.Text(acknowledged);
        details["requiredAcknowledgedBeforeFirstFault"] = Micros.Text(AcknowledgedBeforeFault);
        details["primary"] = primaryName;
        if (fault is not null)
        {
            details["firstFault"] = $"{fault.Kind.ToString().ToLowerInvariant()} of {fault.Target}";
        }

        if (OkReads > 0)
        {
            details["okReads"] = Micros.Text(okReads);
            details["requiredOkReads"] = Micros.Text(OkReads);
        }

        var reason = "too little work to judge " + Name + ": " + string.Join("; ", shortfalls);
        var evidence = Evidence.ForNode(history, "too-little-work", primaryName, fault?.StartMicros, reason, details.ToImmutable());
        return result with
        {
            Verdict = Verdict.Unknown,
            Summary = reason + " (the checker alone would say: " + result.Summary + ")",
            Counts = counts.ToImmutable(),
            Figures = figures,
            Evidence = result.Evidence.Insert(0, evidence),
        };
    }

    /// <summary>The first fault of the run (an operator action is no fault), or null.</summary>
    private static RecordedEvent? FirstFault(History history)
    {
        foreach (var e in history.Events)
        {
            if (e.Kind is not (EventKind.Promote or EventKind.Rejoin or EventKind.Fence or EventKind.Heal or EventKind.WaitConverged or EventKind.Converged))
            {
                return e;
            }
        }

        return null;
    }
}
