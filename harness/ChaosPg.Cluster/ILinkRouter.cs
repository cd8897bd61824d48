namespace ChaosPg.Cluster;

/// <summary>
/// Decides which endpoint a link's traffic uses: the upstream itself (direct) or a proxy in front of it.
/// Routing a link that already exists to a different upstream re-points it.
/// </summary>
public interface ILinkRouter : IAsyncDisposable
{
    /// <summary>Returns the endpoint clients of <paramref name="link"/> must connect to so that they reach <paramref name="upstream"/>.</summary>
    Task<LinkEndpoint> RouteAsync(string link, LinkEndpoint upstream, CancellationToken cancellationToken = default);
}
