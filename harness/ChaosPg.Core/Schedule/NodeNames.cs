using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Core.Schedule;

/// <summary>The fixed names of nodes: <c>primary</c> and <c>replica1</c>..<c>replicaN</c>; names never change when roles do.</summary>
public static class NodeNames
{
    public const string Primary = "primary";

    /// <summary>The source of client links (<c>client-&gt;NODE</c>); not a node.</summary>
    public const string Client = "client";

    public const int MinReplicas = 1;

    public const int MaxReplicas = 5;

    public static string Replica(int number) => string.Create(CultureInfo.InvariantCulture, $"replica{number}");

    /// <summary>Every node of a cluster with <paramref name="replicas"/> replicas, primary first.</summary>
    public static ImmutableArray<string> ForCluster(int replicas) =>
        [Primary, .. Enumerable.Range(1, Math.Max(0, replicas)).Select(Replica)];
}
