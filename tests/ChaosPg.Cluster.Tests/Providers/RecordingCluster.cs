using System.Collections.Immutable;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>A test double for unit tests of the provider's composition (no PostgreSQL, no proxy); records what it is asked in a <see cref="Journal"/>.</summary>
internal sealed class RecordingCluster(Journal journal, ClusterSpec spec, string backend) : IReplicatedCluster
{
    public ClusterSpec Spec => spec;

    public string Backend => backend;

    public string ServerVersion => "test";

    public ImmutableArray<IClusterNode> Nodes => [];

    public IClusterNode Primary => throw new NotSupportedException("a recording cluster has no nodes");

    public string LogDirectory => string.Empty;

    public IClusterNode this[string name] => throw new KeyNotFoundException(name);

    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a recording cluster has no nodes");

    public ValueTask DisposeAsync()
    {
        journal.Add("dispose cluster");
        return ValueTask.CompletedTask;
    }
}
