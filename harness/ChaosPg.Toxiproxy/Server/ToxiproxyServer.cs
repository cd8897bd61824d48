using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>An in-process server that speaks Toxiproxy's HTTP API and proxies TCP with its toxics.</summary>
public sealed class ToxiproxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ProxyRegistry _registry;
    private int _disposed;

    private ToxiproxyServer(WebApplication app, ProxyRegistry registry, Uri apiUri, string version)
    {
        _app = app;
        _registry = registry;
        ApiUri = apiUri;
        Version = version;
    }

    /// <summary>The API base address, with the actual port.</summary>
    public Uri ApiUri { get; }

    /// <summary>The version /version reports.</summary>
    public string Version { get; }

    /// <summary>Starts the API; throws <see cref="IOException"/> when the port is in use.</summary>
    public static async Task<ToxiproxyServer> StartAsync(ToxiproxyServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ToxiproxyServerOptions();
        var address = await ResolveHostAsync(options.Host, cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port);
        });
        var app = builder.Build();
        var registry = new ProxyRegistry(options.Logger);
        var api = new ToxiproxyApi(registry, options.Version);
        app.Run(api.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var apiUri = new Uri(app.Urls.First());
        ServerLog.Started(options.Logger, apiUri, options.Version);
        return new ToxiproxyServer(app, registry, apiUri, options.Version);
    }

    /// <summary>Stops the API, every proxy and every proxied connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _registry.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<IPAddress> ResolveHostAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new IOException($"Host '{host}' does not resolve to an address.");
    }
}
