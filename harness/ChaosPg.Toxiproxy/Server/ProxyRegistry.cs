using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>The embedded server's proxies; every change goes through one gate, like Toxiproxy's collection lock.</summary>
internal sealed class ProxyRegistry : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ProxyInstance> _proxies = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    // Carries the data of connections without toxics; null where it is not supported.
    private readonly SocketRelay? _relay;

    public ProxyRegistry(ILogger logger)
    {
        _logger = logger;
        _relay = SocketRelay.TryCreate(logger);
    }

    /// <summary>Runs <paramref name="action"/> alone against the registry.</summary>
    public async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ImmutableArray<ProxyInstance> All => [.. _proxies.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];

    public ProxyInstance Get(string name) =>
        _proxies.TryGetValue(name, out var proxy) ? proxy : throw ApiException.ProxyNotFound();

    public async Task<ProxyInstance> CreateAsync(ProxyRequest request, CancellationToken cancellationToken)
    {
        RequireFields(request, string.Empty);
        if (_proxies.ContainsKey(request.Name!))
        {
            throw new ApiException(409, "proxy already exists");
        }

        var proxy = new ProxyInstance(request.Name!, request.Listen ?? string.Empty, request.Upstream!, _relay);
        if (request.Enabled ?? true)
        {
            await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        _proxies.Add(proxy.Name, proxy);
        ServerLog.ProxyCreated(_logger, proxy.Name, proxy.Listen, proxy.Upstream, proxy.Enabled);
        return proxy;
    }

    public async Task<ProxyInstance> UpdateAsync(string name, ProxyRequest request, CancellationToken cancellationToken)
    {
        var proxy = Get(name);
        var listen = request.Listen ?? proxy.Listen;
        var upstream = request.Upstream ?? proxy.Upstream;
        var enabled = request.Enabled ?? proxy.Enabled;
        if (request.Listen is not null && !await proxy.ListensOnAsync(listen, cancellationToken).ConfigureAwait(false))
        {
            // Resolve now so that an unresolvable listen fails before the running proxy is stopped.
            await NetworkAddress.ResolveListenAsync(listen, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            listen = proxy.Listen;
        }

        if (listen != proxy.Listen || upstream != proxy.Upstream)
        {
            await proxy.StopAsync().ConfigureAwait(false);
            proxy.Reconfigure(listen, upstream);
        }

        if (enabled && !proxy.Enabled)
        {
            await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!enabled && proxy.Enabled)
        {
            await proxy.StopAsync().ConfigureAwait(false);
        }

        ServerLog.ProxyUpdated(_logger, proxy.Name, proxy.Listen, proxy.Upstream, proxy.Enabled);
        return proxy;
    }

    public async Task DeleteAsync(string name)
    {
        var proxy = Get(name);
        _proxies.Remove(name);
        await proxy.StopAsync().ConfigureAwait(false);
        ServerLog.ProxyDeleted(_logger, name);
    }

    /// <summary>
    /// Toxiproxy's populate: every entry is validated first; then each is created, kept as it is (same listen and
    /// upstream), or replaced without its toxics. A failure part-way keeps what was done and reports it.
    /// </summary>
    public async Task<(ImmutableArray<ProxyInstance> Done, ApiException? Error)> PopulateAsync(ImmutableArray<ProxyRequest> requests, CancellationToken cancellationToken)
    {
        for (var i = 0; i < requests.Length; i++)
        {
            RequireFields(requests[i], $" at proxy {i + 1}");
        }

        var done = ImmutableArray.CreateBuilder<ProxyInstance>();
        foreach (var request in requests)
        {
            if (_proxies.TryGetValue(request.Name!, out var existing))
            {
                if (existing.Upstream == request.Upstream
                    && await existing.ListensOnAsync(request.Listen ?? string.Empty, cancellationToken).ConfigureAwait(false))
                {
                    done.Add(existing);
                    continue;
                }

                _proxies.Remove(existing.Name);
                await existing.StopAsync().ConfigureAwait(false);
                ServerLog.ProxyDeleted(_logger, existing.Name);
            }

            try
            {
                done.Add(await CreateAsync(request, cancellationToken).ConfigureAwait(false));
            }
            catch (ApiException error)
            {
                return (done.ToImmutable(), error);
            }
        }

        return (done.ToImmutable(), null);
    }

    public ToxicDefinition AddToxic(string proxyName, ToxicRequest request)
    {
        var proxy = Get(proxyName);
        var streamText = request.Stream is null or "" ? "downstream" : request.Stream;
        ToxicDirection direction;
        if (string.Equals(streamText, "upstream", StringComparison.OrdinalIgnoreCase))
        {
            direction = ToxicDirection.Upstream;
        }
        else if (string.Equals(streamText, "downstream", StringComparison.OrdinalIgnoreCase))
        {
            direction = ToxicDirection.Downstream;
        }
        else
        {
            throw new ApiException(400, "stream was invalid, can be either upstream or downstream");
        }

        var kind = ToxicKind.Find(request.Type ?? string.Empty) ?? throw new ApiException(400, "invalid toxic type");
        var name = request.Name is null or "" ? $"{kind.Type}_{streamText}" : request.Name;
        if (proxy.FindToxic(name) is not null)
        {
            throw new ApiException(409, "toxic already exists");
        }

        var values = ServerJson.ReadAttributes(kind, request.Attributes, [.. kind.Attributes.Select(_ => 0L)]);
        var toxic = new ToxicDefinition(name, kind, streamText, direction, request.Toxicity ?? 1f, values);
        proxy.AddToxic(toxic);
        ServerLog.ToxicAdded(_logger, toxic.Name, kind.Type, streamText, toxic.Toxicity, proxy.Name);
        return toxic;
    }

    public ToxicDefinition GetToxic(string proxyName, string toxicName) =>
        Get(proxyName).FindToxic(toxicName) ?? throw ApiException.ToxicNotFound();

    public ToxicDefinition UpdateToxic(string proxyName, string toxicName, ToxicRequest request)
    {
        var proxy = Get(proxyName);
        var current = proxy.FindToxic(toxicName) ?? throw ApiException.ToxicNotFound();
        var toxic = current with
        {
            Values = ServerJson.ReadAttributes(current.Kind, request.Attributes, current.Values),
            Toxicity = request.Toxicity ?? current.Toxicity,
        };
        proxy.UpdateToxic(toxic);
        ServerLog.ToxicUpdated(_logger, toxic.Name, proxy.Name);
        return toxic;
    }

    public void RemoveToxic(string proxyName, string toxicName)
    {
        var proxy = Get(proxyName);
        var toxic = proxy.FindToxic(toxicName) ?? throw ApiException.ToxicNotFound();
        proxy.RemoveToxic(toxic);
        ServerLog.ToxicRemoved(_logger, toxic.Name, proxy.Name);
    }

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        foreach (var proxy in All)
        {
            await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
            proxy.RemoveAllToxics();
        }

        ServerLog.Reset(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var proxy in _proxies.Values)
            {
                await proxy.StopAsync().ConfigureAwait(false);
            }

            _proxies.Clear();
            _relay?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void RequireFields(ProxyRequest request, string where)
    {
        if (string.IsNullOrEmpty(request.Name))
        {
            throw new ApiException(400, "missing required field: name" + where);
        }

        if (string.IsNullOrEmpty(request.Upstream))
        {
            throw new ApiException(400, "missing required field: upstream" + where);
        }
    }
}
