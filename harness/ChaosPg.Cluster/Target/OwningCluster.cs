using System.Collections.Immutable;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Target;

/// <summary>A target cluster with the Toxiproxy client its link router uses: disposing it drops the schema, then lets go of the client.</summary>
internal sealed class OwningCluster(TargetCluster inner, IDisposable? client) : IRoleChangingCluster
{
    public event Action<RoleChange>? RoleChanged
    {
        add => inner.RoleChanged += value;
        remove => inner.RoleChanged -= value;
    }

    public string Manager => inner.Manager;

    public ClusterSpec Spec => inner.Spec;

    public string Backend => inner.Backend;

    public string ServerVersion => inner.ServerVersion;

    public ImmutableArray<IClusterNode> Nodes => inner.Nodes;

    public IClusterNode Primary => inner.Primary;

    public string LogDirectory => inner.LogDirectory;

    public IClusterNode this[string name] => inner[name];

    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        inner.WaitConvergedAsync(deadline, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            client?.Dispose();
        }
    }
}
