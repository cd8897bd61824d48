namespace ChaosPg.Cluster.Providers;

/// <summary>How progress lines name a spec's shape.</summary>
internal static class ClusterShape
{
    public static string Of(ClusterSpec spec) =>
        $"primary + {spec.Replicas} replica(s), {spec.ReplicationMode.ToString().ToLowerInvariant()}";
}
