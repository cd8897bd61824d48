namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>A test double for unit tests of the provider's composition (no PostgreSQL, no proxy); records what it is asked in a <see cref="Journal"/>.</summary>
internal sealed class RecordingRouter(Journal journal, string name) : ILinkRouter
{
    public Task<LinkEndpoint> RouteAsync(string link, LinkEndpoint upstream, CancellationToken cancellationToken = default) => Task.FromResult(upstream);

    public ValueTask DisposeAsync()
    {
        journal.Add($"dispose {name}");
        return ValueTask.CompletedTask;
    }
}
