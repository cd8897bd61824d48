namespace ChaosPg.Cluster;

/// <summary>No proxy: every link connects straight to its upstream (<c>--no-proxy</c>, the bench baseline).</summary>
public sealed class DirectLinkRouter : ILinkRouter
{
    public Task<LinkEndpoint> RouteAsync(string link, LinkEndpoint upstream, CancellationToken cancellationToken = default) =>
        Task.FromResult(upstream);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
