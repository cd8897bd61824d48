using System.Collections.Immutable;

namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>The printed names of <see cref="AnomalyKind"/> (Adya's and Elle's spelling) and of their count keys.</summary>
public static class AnomalyKinds
{
    /// <summary>The variant of a cycle that needs a client's own order of transactions.</summary>
    public const string ProcessVariant = "process";

    /// <summary>The variant of a cycle that needs the real-time order of transactions.</summary>
    public const string RealtimeVariant = "realtime";

    private static readonly ImmutableArray<string> Names =
        ["G0", "G1a", "G1b", "G1c", "G-single", "G-nonadjacent", "Long Fork", "G2-item", "incompatible-order", "duplicate-elements", "garbage-read"];

    private static readonly ImmutableArray<string> Keys =
        ["g0", "g1a", "g1b", "g1c", "gSingle", "gNonadjacent", "longFork", "g2Item", "incompatibleOrder", "duplicateElements", "garbageRead"];

    /// <summary>"G-single", "Long Fork", ...; with a variant: "G-single-realtime".</summary>
    public static string Name(this AnomalyKind kind, string variant = "")
    {
        ArgumentNullException.ThrowIfNull(variant);
        return variant.Length == 0 ? Names[(int)kind] : Names[(int)kind] + "-" + variant;
    }

    /// <summary>The camelCase count key: "gSingle", "longFork"; with a variant: "gSingleRealtime".</summary>
    public static string CountKey(this AnomalyKind kind, string variant = "")
    {
        ArgumentNullException.ThrowIfNull(variant);
        return variant.Length == 0 ? Keys[(int)kind] : Keys[(int)kind] + char.ToUpperInvariant(variant[0]) + variant[1..];
    }

    /// <summary>True for the anomalies that are cycles of the dependency graph (the rest are single bad reads).</summary>
    public static bool IsCycle(this AnomalyKind kind) =>
        kind is AnomalyKind.G0 or AnomalyKind.G1c or AnomalyKind.GSingle or AnomalyKind.GNonadjacent or AnomalyKind.LongFork or AnomalyKind.G2Item;
}
