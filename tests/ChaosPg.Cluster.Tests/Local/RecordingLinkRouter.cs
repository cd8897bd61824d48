using System.Collections.Concurrent;

namespace ChaosPg.Cluster.Tests.Local;

/// <summary>Test double of a proxy router: routes directly, like <see cref="DirectLinkRouter"/>, and records every link it was asked for.</summary>
internal sealed class RecordingLinkRouter : ILinkRouter
{
    private readonly ConcurrentQueue<(string Link, LinkEndpoint Upstream)> routes = new();

    public IReadOnlyCollection<(string Link, LinkEndpoint Upstream)> Routes => routes;

    public Task<LinkEndpoint> RouteAsync(string link, LinkEndpoint upstream, CancellationToken cancellationToken = default)
    {
        routes.Enqueue((link, upstream));
        return Task.FromResult(upstream);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
