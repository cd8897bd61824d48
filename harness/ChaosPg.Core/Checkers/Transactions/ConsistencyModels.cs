using System.Collections.Immutable;

namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>
/// Names of the consistency models and the anomalies each forbids, after Adya (read committed = PL-2: no G0, G1a,
/// G1b, G1c), Adya/Cerone/Elle for snapshot isolation (also no G-single and no G-nonadjacent, which includes Long
/// Fork; G2-item write skew is allowed) and serializable (PL-3: no cycle with any anti-dependency either). The
/// strong-session models also forbid the cycles that need a client's own order (variant "process"); strict
/// serializable forbids those that need real-time order (variant "realtime") as well.
/// </summary>
public static class ConsistencyModels
{
    /// <summary>Every model name a scenario may declare, strongest last.</summary>
    public static readonly ImmutableArray<string> Names =
    [
        "read-committed",
        "snapshot-isolation",
        "serializable",
        "strong-session-snapshot-isolation",
        "strong-session-serializable",
        "strict-serializable",
    ];

    /// <summary>The model's name as written in scenario files and history headers.</summary>
    public static string Name(this ConsistencyModel model) => Names[(int)model];

    /// <summary>Parses a model name; false for anything not in <see cref="Names"/>.</summary>
    public static bool TryParse(string? name, out ConsistencyModel model)
    {
        var index = name is null ? -1 : Names.IndexOf(name);
        model = index < 0 ? ConsistencyModel.Serializable : (ConsistencyModel)index;
        return index >= 0;
    }

    /// <summary>True when the model orders each client's transactions (cycles through process edges count).</summary>
    public static bool UsesProcessOrder(this ConsistencyModel model) =>
        model is ConsistencyModel.StrongSessionSnapshotIsolation or ConsistencyModel.StrongSessionSerializable or ConsistencyModel.StrictSerializable;

    /// <summary>True when the model orders transactions in real time (cycles through real-time edges count).</summary>
    public static bool UsesRealtimeOrder(this ConsistencyModel model) => model == ConsistencyModel.StrictSerializable;

    /// <summary>Whether the model forbids an anomaly of this kind and variant ("", "process" or "realtime").</summary>
    public static bool Forbids(this ConsistencyModel model, AnomalyKind kind, string variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (variant == AnomalyKinds.RealtimeVariant && !model.UsesRealtimeOrder())
        {
            return false;
        }

        if (variant == AnomalyKinds.ProcessVariant && !model.UsesProcessOrder())
        {
            return false;
        }

        var serializable = model is ConsistencyModel.Serializable or ConsistencyModel.StrongSessionSerializable or ConsistencyModel.StrictSerializable;
        var snapshot = serializable || model is ConsistencyModel.SnapshotIsolation or ConsistencyModel.StrongSessionSnapshotIsolation;
        return kind switch
        {
            AnomalyKind.G0 or AnomalyKind.G1a or AnomalyKind.G1b or AnomalyKind.G1c => true,
            AnomalyKind.IncompatibleOrder or AnomalyKind.DuplicateElements or AnomalyKind.GarbageRead => true,
            AnomalyKind.GSingle or AnomalyKind.GNonadjacent or AnomalyKind.LongFork => snapshot,
            AnomalyKind.G2Item => serializable,
            _ => true,
        };
    }
}
