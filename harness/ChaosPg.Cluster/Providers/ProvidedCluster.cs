using System.Collections.Immutable;
using ChaosPg.Cluster.Links;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// A cluster the provider made: its nodes, the router and faults of its links, and the facts run.json records.
/// Disposal stops the cluster, then its router, then what the network mode started, each bounded by the request's
/// cleanup timeout and each run even when one before it fails; it is safe twice.
/// </summary>
public sealed class ProvidedCluster : IAsyncDisposable
{
    private readonly BackendCluster started;
    private readonly NetworkSession network;
    private readonly TimeSpan cleanupTimeout;
    private int disposed;

    internal ProvidedCluster(BackendCluster started, NetworkSession network, ClusterFacts facts, TimeSpan cleanupTimeout)
    {
        this.started = started;
        this.network = network;
        this.cleanupTimeout = cleanupTimeout;
        Facts = facts;
    }

    /// <summary>The nodes.</summary>
    public IReplicatedCluster Cluster => started.Cluster;

    /// <summary>The router of the cluster's links.</summary>
    public ILinkRouter Router => started.Router;

    /// <summary>Faults on the cluster's links, or null when the network mode cannot apply any.</summary>
    public ILinkFaults? LinkFaults => started.LinkFaults;

    /// <summary>Backend, network mode, manager, proxy kind and version, images.</summary>
    public ClusterFacts Facts { get; }

    /// <summary>Where things are (work directory, logs, container run id), one line each.</summary>
    public ImmutableArray<string> Notes => started.Notes;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        var failures = new List<Exception>();
        // The router is the network's own unless the backend brought one; the network session disposes its own.
        IAsyncDisposable?[] steps = [started.Cluster, ReferenceEquals(started.Router, network.Router) ? null : started.Router, network];
        foreach (var step in steps.OfType<IAsyncDisposable>())
        {
            try
            {
                await step.DisposeAsync().AsTask().WaitAsync(cleanupTimeout).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One teardown step failing must not keep the next from running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("tearing down the cluster, its link router or its network failed", failures);
        }
    }
}
