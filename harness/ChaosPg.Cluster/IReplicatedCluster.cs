using System.Collections.Immutable;

namespace ChaosPg.Cluster;

/// <summary>
/// A primary and its streaming replicas, whatever runs them: <see cref="Local.LocalCluster"/> (local processes) or
/// <see cref="Docker.DockerCluster"/> (containers). Disposal stops every node and removes what the cluster created.
/// </summary>
public interface IReplicatedCluster : IAsyncDisposable
{
    /// <summary>What was asked for.</summary>
    ClusterSpec Spec { get; }

    /// <summary>Which backend runs the nodes: <c>local</c> or <c>docker</c>.</summary>
    string Backend { get; }

    /// <summary>The server version the nodes report (for example 15.8).</summary>
    string ServerVersion { get; }

    /// <summary>All nodes, in spec order (primary, replica1, ...).</summary>
    ImmutableArray<IClusterNode> Nodes { get; }

    /// <summary>The current primary: the original one until a promotion.</summary>
    IClusterNode Primary { get; }

    /// <summary>Where the node logs are written (for a container backend: at teardown, from the containers).</summary>
    string LogDirectory { get; }

    /// <summary>The node named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such node.</exception>
    IClusterNode this[string name] { get; }

    /// <summary>
    /// Waits until every running replica streams from the current primary and has replayed the WAL the primary had
    /// when the wait began, or until <paramref name="deadline"/> passes: not converging is a result, not an exception.
    /// </summary>
    Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default);
}
