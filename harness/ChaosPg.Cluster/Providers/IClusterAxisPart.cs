using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>What every implementation of an axis (a backend, a network mode, a manager) answers.</summary>
public interface IClusterAxisPart
{
    /// <summary>The name scenarios and options use, e.g. <c>local</c>, <c>proxy</c>, <c>none</c>.</summary>
    string Name { get; }

    /// <summary>
    /// What keeps <paramref name="request"/> from starting, as one-line messages that name the fix (a missing
    /// PostgreSQL binary, no Docker daemon, a missing package); empty when ready. Starts nothing.
    /// </summary>
    Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>What this part found on the machine and what is missing, with versions, for doctor.</summary>
    Task<ImmutableArray<AxisFinding>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds what this part knows before anything starts (images, the kind of proxy) to <paramref name="facts"/>.</summary>
    ClusterFacts Plan(ClusterRequest request, ClusterFacts facts);
}
