using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Core.Schedule;

/// <summary>The fixed names of nodes: <c>primary</c> and <c>replica1</c>..<c>replicaN</c>; names never change when roles do.</summary>
public static class NodeNames
{
    public const string Primary = "primary";

    /// <summary>The source of client links (<c>client-&gt;NODE</c>); not a node.</summary>
    public const string Client = "client";

    /// <summary>The role target for the node an HA manager names leader when the step runs.</summary>
    public const string Leader = "leader";

    /// <summary>The role target for the first running replica, in name order, an HA manager lists when the step runs.</summary>
    public const string AnyReplica = "replica";

    public const int MinReplicas = 1;

    public const int MaxReplicas = 5;

    public static string Replica(int number) => string.Create(CultureInfo.InvariantCulture, $"replica{number}");

    /// <summary>True for the role targets of managed clusters, <see cref="Leader"/> and <see cref="AnyReplica"/>.</summary>
    public static bool IsRole(string name) => name is Leader or AnyReplica;

    /// <summary>Every node of a cluster with <paramref name="replicas"/> replicas, primary first.</summary>
    public static ImmutableArray<string> ForCluster(int replicas) =>
        [Primary, .. Enumerable.Range(1, Math.Max(0, replicas)).Select(Replica)];
}
