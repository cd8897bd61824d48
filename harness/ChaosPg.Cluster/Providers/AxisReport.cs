using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>What one implementation of one axis found on this machine, for <c>chaospg doctor</c>.</summary>
public sealed record AxisReport(ClusterAxis Axis, string Name, ImmutableArray<AxisFinding> Findings)
{
    /// <summary>True when something the default cluster needs is missing.</summary>
    public bool HasMissing => Findings.Any(f => f.Status == FindingStatus.Missing);
}
