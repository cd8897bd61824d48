using System.Collections.Immutable;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Makes a cluster exist for a run, composed from a backend, a network mode and a manager. The runner and the CLI
/// ask it; they never branch on the axes.
/// </summary>
public interface IClusterProvider
{
    /// <summary>The facts known before anything starts.</summary>
    /// <exception cref="ClusterConfigurationException">A name is unknown or not available yet, or the axes do not combine.</exception>
    ClusterFacts Plan(ClusterRequest request);

    /// <summary>What keeps <paramref name="request"/> from starting, one line each, naming the fix; empty when ready. Starts nothing.</summary>
    Task<ImmutableArray<string>> PreflightAsync(ClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Brings the cluster up; <paramref name="phase"/> is told each step. Nothing is left running when it throws.</summary>
    /// <exception cref="ClusterConfigurationException">The request cannot be met on this machine.</exception>
    Task<ProvidedCluster> StartAsync(ClusterRequest request, Action<string>? phase = null, CancellationToken cancellationToken = default);

    /// <summary>What every registered backend, network mode and manager finds on this machine, for doctor.</summary>
    Task<ImmutableArray<AxisReport>> DescribeAsync(ClusterRequest request, CancellationToken cancellationToken = default);
}
