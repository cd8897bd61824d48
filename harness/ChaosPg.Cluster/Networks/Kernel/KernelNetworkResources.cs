namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>The namespaces and veths of one kernel run: disposal deletes them, then the owner file; safe twice.</summary>
public sealed class KernelNetworkResources(KernelTopology topology) : IAsyncDisposable
{
    private int disposed;

    /// <summary>The topology these resources are.</summary>
    public KernelTopology Topology { get; } = topology;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // Its own deadline: teardown never uses a caller's token, which may be cancelled already.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await KernelShell.RunAsync(KernelSetup.Delete(Topology), timeout.Token).ConfigureAwait(false);
        KernelOwnerFile.Delete(Topology.RunId);
    }
}
