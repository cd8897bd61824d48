using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>
/// Judges the list-append transactions of a history against the run's declared consistency model, in the manner of
/// Elle: infers the ww, wr and rw dependency graph (plus process or real-time order when the model asks for it),
/// finds its strongly connected components, and names a shortest cycle of each anomaly class in each of them, along
/// with the single bad reads (aborted, intermediate, garbage, duplicated, incompatible orders). Invalid when an
/// anomaly the model forbids is found; anomalies the model allows are reported, not judged. A history without
/// transactions is valid with nothing to judge (count transactions = 0).
/// </summary>
/// <remarks>Counts: transactions, ok, fail, indeterminate, reads, edges, components, forbidden, allowed, and one per anomaly found (gSingle, longFork, ...).</remarks>
public sealed class ListAppendChecker(ConsistencyModel? model = null) : IChecker
{
    /// <summary>The checker's name in results and reports.</summary>
    public const string CheckerName = "transactions";

    /// <summary>Examples kept per anomaly name; the counts cover all of them.</summary>
    public const int ExamplesPerAnomaly = 8;

    // Start edges tried per class and component: enough to find the shortest cycle in the small components real
    // anomalies make, and a bound on the work in a huge one.
    private const int StartsPerSearch = 16;

    private static readonly (CycleSearch.Goal Goal, AnomalyKind Kind)[] Goals =
    [
        (CycleSearch.Goal.G0, AnomalyKind.G0),
        (CycleSearch.Goal.G1c, AnomalyKind.G1c),
        (CycleSearch.Goal.GSingle, AnomalyKind.GSingle),
        (CycleSearch.Goal.GNonadjacent, AnomalyKind.GNonadjacent),
        (CycleSearch.Goal.G2Item, AnomalyKind.G2Item),
    ];

    public string Name => CheckerName;

    /// <summary>The model a history declares in its header; serializable when it declares none.</summary>
    public static bool TryModelOf(History history, out ConsistencyModel model, out bool declared)
    {
        ArgumentNullException.ThrowIfNull(history);
        var name = history.Header?.ConsistencyModel;
        declared = name is not null;
        if (name is null)
        {
            model = ConsistencyModel.Serializable;
            return true;
        }

        return ConsistencyModels.TryParse(name, out model);
    }

    /// <summary>Infers the graph and finds every anomaly; pure, for tests and the report.</summary>
    public static ListAppendAnalysis Analyze(History history, ConsistencyModel model)
    {
        ArgumentNullException.ThrowIfNull(history);
        var graph = new TransactionGraph(history, model);
        var found = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var forbidden = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        var examples = new List<TxnAnomaly>();

        void Record(TxnAnomaly anomaly)
        {
            var name = anomaly.Name;
            var count = found.GetValueOrDefault(name);
            found[name] = count + 1;
            forbidden[name] = anomaly.Forbidden;
            if (count < ExamplesPerAnomaly)
            {
                examples.Add(anomaly);
            }
        }

        foreach (var (kind, reader, writer, why) in graph.BadReads())
        {
            var ops = ImmutableArray.CreateBuilder<long>();
            if (reader >= 0)
            {
                ops.Add(graph.Txns[reader].Id);
            }

            if (writer >= 0 && writer != reader)
            {
                ops.Add(graph.Txns[writer].Id);
            }

            Record(new TxnAnomaly(kind, "", model.Forbids(kind, ""), ops.ToImmutable(), [], [why]));
        }

        var component = StronglyConnected.Components(graph, out var components);
        if (components > 0)
        {
            FindCycles(graph, component, components, model, Record);
        }

        return new ListAppendAnalysis(
            model,
            graph.Txns.Length,
            graph.ReadCount,
            graph.EdgeCount,
            components,
            found.ToImmutableSortedDictionary(StringComparer.Ordinal),
            forbidden.ToImmutableSortedDictionary(StringComparer.Ordinal),
            [.. examples]);
    }

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var declared = true;
        var judged = model ?? ConsistencyModel.Serializable;
        if (model is null && !TryModelOf(history, out judged, out declared))
        {
            return new CheckerResult(
                Name,
                Verdict.Unknown,
                $"unknown consistency model '{history.Header?.ConsistencyModel}' in the history header; expected one of {string.Join(", ", ConsistencyModels.Names)}",
                ImmutableSortedDictionary<string, long>.Empty,
                ImmutableSortedDictionary<string, double>.Empty,
                []);
        }

        var analysis = Analyze(history, judged);
        var counts = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        counts["transactions"] = analysis.Transactions;
        if (analysis.Transactions == 0)
        {
            return new CheckerResult(Name, Verdict.Valid, "no list-append transactions in this history: nothing to judge", counts.ToImmutable(), ImmutableSortedDictionary<string, double>.Empty, []);
        }

        long ok = 0, fail = 0, indeterminate = 0;
        foreach (var op in history.Operations)
        {
            if (op.Kind != OperationKind.Txn)
            {
                continue;
            }

            ok += op.Outcome == OperationOutcome.Ok ? 1 : 0;
            fail += op.Outcome == OperationOutcome.Fail ? 1 : 0;
            indeterminate += op.Outcome == OperationOutcome.Indeterminate ? 1 : 0;
        }

        counts["ok"] = ok;
        counts["fail"] = fail;
        counts["indeterminate"] = indeterminate;
        counts["reads"] = analysis.Reads;
        counts["edges"] = analysis.Edges;
        counts["components"] = analysis.Components;
        long forbiddenCount = 0, allowedCount = 0;
        foreach (var anomaly in analysis.Examples.DistinctBy(a => a.Name))
        {
            counts[anomaly.Kind.CountKey(anomaly.Variant)] = analysis.Found[anomaly.Name];
        }

        foreach (var (name, count) in analysis.Found)
        {
            if (analysis.Forbidden[name])
            {
                forbiddenCount += count;
            }
            else
            {
                allowedCount += count;
            }
        }

        counts["forbidden"] = forbiddenCount;
        counts["allowed"] = allowedCount;
        var modelName = judged.Name() + (declared ? "" : " (no model declared)");
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var wanted = analysis.Examples.Where(a => !a.Operations.IsEmpty).Select(a => a.Operations[0]).ToHashSet();
        var byId = new Dictionary<long, Operation>();
        foreach (var op in history.Operations)
        {
            if (op.Kind == OperationKind.Txn && wanted.Contains(op.Id))
            {
                byId[op.Id] = op;
            }
        }

        foreach (var anomaly in analysis.Examples.OrderByDescending(a => a.Forbidden))
        {
            var number = numbers[anomaly.Name] = numbers.GetValueOrDefault(anomaly.Name) + 1;
            evidence.Add(ToEvidence(history, byId, anomaly, number, judged));
        }

        var verdict = forbiddenCount > 0 ? Verdict.Invalid : Verdict.Valid;
        var summary = verdict == Verdict.Invalid
            ? $"{modelName} forbids: {Listing(analysis, true)}" + (allowedCount > 0 ? $"; allowed: {Listing(analysis, false)}" : "")
            : allowedCount > 0
                ? $"{modelName}: no forbidden anomaly in {analysis.Transactions} transactions; allowed: {Listing(analysis, false)}"
                : $"{modelName}: no anomaly in {analysis.Transactions} transactions";
        return new CheckerResult(Name, verdict, summary, counts.ToImmutable(), ImmutableSortedDictionary<string, double>.Empty, evidence.ToImmutable());
    }

    private static string Listing(ListAppendAnalysis analysis, bool forbidden) =>
        string.Join(", ", analysis.Found.Where(f => analysis.Forbidden[f.Key] == forbidden).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} x{f.Value}")));

    private static Evidence ToEvidence(History history, Dictionary<long, Operation> byId, TxnAnomaly anomaly, int number, ConsistencyModel model)
    {
        var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        details["anomaly"] = anomaly.Name;
        details["model"] = model.Name();
        details["forbidden"] = anomaly.Forbidden ? "true" : "false";
        details["txns"] = string.Join(' ', anomaly.Operations.Select(o => o.ToString(CultureInfo.InvariantCulture)));
        if (!anomaly.Edges.IsEmpty)
        {
            details["edges"] = string.Join(' ', anomaly.Edges.Select(EdgeName));
        }

        for (var i = 0; i < anomaly.Steps.Length; i++)
        {
            details[string.Create(CultureInfo.InvariantCulture, $"step{i + 1:D2}")] = anomaly.Steps[i];
        }

        var what = new StringBuilder();
        what.Append(anomaly.Name).Append(anomaly.Forbidden ? " (forbidden by " : " (allowed by ").Append(model.Name()).Append("): ");
        if (anomaly.Edges.IsEmpty)
        {
            what.Append(anomaly.Steps[0]);
        }
        else
        {
            for (var i = 0; i < anomaly.Operations.Length; i++)
            {
                what.Append(CultureInfo.InvariantCulture, $"op {anomaly.Operations[i]} -{EdgeName(anomaly.Edges[i])}-> ");
            }

            what.Append(CultureInfo.InvariantCulture, $"op {anomaly.Operations[0]}");
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{anomaly.Name} #{number}");
        var first = anomaly.Operations.IsEmpty ? null : byId.GetValueOrDefault(anomaly.Operations[0]);
        return first is null
            ? Evidence.ForNode(history, id, history.InitialPrimary, null, what.ToString(), details.ToImmutable())
            : Evidence.ForOperation(history, first, first.EndMicros, id, what.ToString(), details.ToImmutable());
    }

    /// <summary>"ww", "wr", "rw", "process", "realtime".</summary>
    public static string EdgeName(DependencyKind kind) => kind switch
    {
        DependencyKind.WW => "ww",
        DependencyKind.WR => "wr",
        DependencyKind.RW => "rw",
        DependencyKind.Process => "process",
        DependencyKind.Realtime => "realtime",
        _ => "?",
    };

    private static void FindCycles(TransactionGraph graph, int[] component, int components, ConsistencyModel model, Action<TxnAnomaly> record)
    {
        // Members of each component, grouped by a counting sort on the component id.
        var start = new int[components + 1];
        foreach (var c in component)
        {
            if (c >= 0)
            {
                start[c + 1]++;
            }
        }

        for (var c = 0; c < components; c++)
        {
            start[c + 1] += start[c];
        }

        var fill = start.AsSpan(0, components).ToArray();
        var members = new int[start[components]];
        for (var t = 0; t < component.Length; t++)
        {
            if (component[t] >= 0)
            {
                members[fill[component[t]]++] = t;
            }
        }

        var extra = (model.UsesProcessOrder() ? DependencyKind.Process : DependencyKind.None) | (model.UsesRealtimeOrder() ? DependencyKind.Realtime : DependencyKind.None);
        var search = new CycleSearch(graph, component);
        var foundData = new bool[Goals.Length];
        for (var c = 0; c < components; c++)
        {
            var scc = members[start[c]..start[c + 1]];
            Array.Clear(foundData);
            for (var pass = 0; pass < (extra == DependencyKind.None ? 1 : 2); pass++)
            {
                for (var g = 0; g < Goals.Length; g++)
                {
                    if (pass == 1 && foundData[g])
                    {
                        continue;
                    }

                    var cycle = search.Find(c, scc, Goals[g].Goal, pass == 0 ? DependencyKind.None : extra, StartsPerSearch);
                    if (cycle is null)
                    {
                        continue;
                    }

                    foundData[g] = true;
                    record(ToAnomaly(graph, cycle, Goals[g].Kind, model));
                }
            }
        }
    }

    private static TxnAnomaly ToAnomaly(TransactionGraph graph, int[] cycle, AnomalyKind kind, ConsistencyModel model)
    {
        var edges = cycle.Select(graph.Kind).ToImmutableArray();
        if (kind == AnomalyKind.GNonadjacent && IsLongFork(edges))
        {
            kind = AnomalyKind.LongFork;
        }

        var variant = edges.Contains(DependencyKind.Realtime) ? AnomalyKinds.RealtimeVariant
            : edges.Contains(DependencyKind.Process) ? AnomalyKinds.ProcessVariant
            : "";
        return new TxnAnomaly(
            kind,
            variant,
            model.Forbids(kind, variant),
            [.. cycle.Select(e => graph.Txns[graph.Source(e)].Id)],
            edges,
            [.. cycle.Select(graph.Explain)]);
    }

    // Two writers and two readers, each reader seeing one write and not the other: wr rw wr rw, in some rotation.
    private static bool IsLongFork(ImmutableArray<DependencyKind> edges) =>
        edges.Length == 4
        && edges[0] != edges[1] && edges[0] == edges[2] && edges[1] == edges[3]
        && (edges[0] is DependencyKind.WR or DependencyKind.RW) && (edges[1] is DependencyKind.WR or DependencyKind.RW);
}
