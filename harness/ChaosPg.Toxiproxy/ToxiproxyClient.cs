using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ChaosPg.Toxiproxy;

/// <summary>Typed client for the Toxiproxy HTTP API (a real server or the embedded one).</summary>
public sealed class ToxiproxyClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client with its own <see cref="HttpClient"/> (30 s timeout, like Toxiproxy's Go client).</summary>
    public ToxiproxyClient(Uri apiUri)
        : this(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, apiUri, ownsHttp: true)
    {
    }

    /// <summary>A client over a caller-owned <see cref="HttpClient"/>; it is not disposed with the client.</summary>
    public ToxiproxyClient(HttpClient httpClient, Uri apiUri)
        : this(httpClient, apiUri, ownsHttp: false)
    {
    }

    private ToxiproxyClient(HttpClient httpClient, Uri apiUri, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(apiUri);
        _http = httpClient;
        _ownsHttp = ownsHttp;
        var text = apiUri.ToString();
        ApiUri = new Uri(text.EndsWith('/') ? text : text + "/");
    }

    /// <summary>The API base address (always ending with a slash).</summary>
    public Uri ApiUri { get; }

    /// <summary>The server version: JSON <c>{"version": ...}</c> since 2.6.0, plain text before.</summary>
    public async Task<string> GetVersionAsync(CancellationToken cancellationToken = default) =>
        (await GetServerAsync(cancellationToken).ConfigureAwait(false)).Version;

    /// <summary>The server's version and whether it is ChaosPg's embedded server (<see cref="ToxiproxyServerIdentity.HeaderName"/>).</summary>
    public async Task<ToxiproxyServerIdentity> GetServerAsync(CancellationToken cancellationToken = default)
    {
        var (body, headers) = await SendWithHeadersAsync(HttpMethod.Get, "version", null, cancellationToken).ConfigureAwait(false);
        var embedded = headers.TryGetValues(ToxiproxyServerIdentity.HeaderName, out var values) ? string.Join(',', values) : null;
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.StartsWith('{'))
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String)
            {
                return new ToxiproxyServerIdentity(version.GetString() ?? string.Empty, embedded);
            }
        }

        return new ToxiproxyServerIdentity(text, embedded);
    }

    /// <summary>Every proxy, keyed by name.</summary>
    public async Task<ImmutableDictionary<string, ToxiproxyProxy>> GetProxiesAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "proxies", null, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        var builder = ImmutableDictionary.CreateBuilder<string, ToxiproxyProxy>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                builder[property.Name] = ClientJson.ReadProxy(property.Value);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Creates a proxy (201); 409 if the name exists, 500 if the listen address cannot be bound.</summary>
    public Task<ToxiproxyProxy> CreateProxyAsync(ProxyDefinition proxy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return ProxyRequestAsync(HttpMethod.Post, "proxies", ClientJson.WriteProxy(proxy), cancellationToken);
    }

    /// <summary>One proxy with its toxics.</summary>
    public Task<ToxiproxyProxy> GetProxyAsync(string name, CancellationToken cancellationToken = default) =>
        ProxyRequestAsync(HttpMethod.Get, ProxyPath(name), null, cancellationToken);

    /// <summary>Updates a proxy with PATCH; fields left null keep their values.</summary>
    public Task<ToxiproxyProxy> UpdateProxyAsync(string name, ProxyUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ProxyRequestAsync(HttpMethod.Patch, ProxyPath(name), ClientJson.WriteProxyUpdate(update), cancellationToken);
    }

    /// <summary>Deletes a proxy, closing all its connections.</summary>
    public async Task DeleteProxyAsync(string name, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, ProxyPath(name), null, cancellationToken).ConfigureAwait(false);

    /// <summary>Creates or replaces many proxies; proxies equal to the existing ones are left untouched.</summary>
    /// <exception cref="ToxiproxyException">On failure; <see cref="ToxiproxyException.PopulatedProxies"/> holds what was already done.</exception>
    public async Task<ImmutableArray<ToxiproxyProxy>> PopulateAsync(IEnumerable<ProxyDefinition> proxies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        var body = await SendAsync(HttpMethod.Post, "populate", ClientJson.WriteProxies(proxies), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("proxies", out var array) ? ClientJson.ReadProxyArray(array) : [];
    }

    /// <summary>The toxics of a proxy.</summary>
    public async Task<ImmutableArray<Toxic>> GetToxicsAsync(string proxy, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, ProxyPath(proxy) + "/toxics", null, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Select(ClientJson.ReadToxic)]
            : [];
    }

    /// <summary>Adds a toxic; it also applies to the proxy's live connections.</summary>
    public Task<Toxic> AddToxicAsync(string proxy, Toxic toxic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toxic);
        return ToxicRequestAsync(HttpMethod.Post, ProxyPath(proxy) + "/toxics", ClientJson.WriteToxic(toxic), cancellationToken);
    }

    /// <summary>One toxic of a proxy.</summary>
    public Task<Toxic> GetToxicAsync(string proxy, string toxic, CancellationToken cancellationToken = default) =>
        ToxicRequestAsync(HttpMethod.Get, ToxicPath(proxy, toxic), null, cancellationToken);

    /// <summary>Updates a toxic with PATCH: attributes are merged, toxicity kept when null.</summary>
    public Task<Toxic> UpdateToxicAsync(string proxy, string toxic, ToxicUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ToxicRequestAsync(HttpMethod.Patch, ToxicPath(proxy, toxic), ClientJson.WriteToxicUpdate(update), cancellationToken);
    }

    /// <summary>Removes a toxic.</summary>
    public async Task DeleteToxicAsync(string proxy, string toxic, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, ToxicPath(proxy, toxic), null, cancellationToken).ConfigureAwait(false);

    /// <summary>Enables every proxy and removes every toxic (proxies are kept).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, "reset", null, cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string ProxyPath(string name) => "proxies/" + Uri.EscapeDataString(name);

    private static string ToxicPath(string proxy, string toxic) => ProxyPath(proxy) + "/toxics/" + Uri.EscapeDataString(toxic);

    private async Task<ToxiproxyProxy> ProxyRequestAsync(HttpMethod method, string path, byte[]? content, CancellationToken cancellationToken)
    {
        var body = await SendAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return ClientJson.ReadProxy(document.RootElement);
    }

    private async Task<Toxic> ToxicRequestAsync(HttpMethod method, string path, byte[]? content, CancellationToken cancellationToken)
    {
        var body = await SendAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return ClientJson.ReadToxic(document.RootElement);
    }

    private async Task<byte[]> SendAsync(HttpMethod method, string path, byte[]? content, CancellationToken cancellationToken) =>
        (await SendWithHeadersAsync(method, path, content, cancellationToken).ConfigureAwait(false)).Body;

    private async Task<(byte[] Body, System.Net.Http.Headers.HttpResponseHeaders Headers)> SendWithHeadersAsync(HttpMethod method, string path, byte[]? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(ApiUri, path));
        request.Headers.UserAgent.ParseAdd("chaospg-toxiproxy-client");
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.ContentType = JsonMediaType;
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ToException(response.StatusCode, response.ReasonPhrase, body);
        }

        return (body, response.Headers);
    }

    private static ToxiproxyException ToException(HttpStatusCode status, string? reason, byte[] body)
    {
        // Toxiproxy writes its JSON errors with Content-Type text/plain, so the body is decoded whatever the header says.
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    var proxies = root.TryGetProperty("proxies", out var array) ? ClientJson.ReadProxyArray(array) : [];
                    return new ToxiproxyException(status, error.GetString() ?? string.Empty, proxies);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to the plain text.
            }
        }

        return new ToxiproxyException(status, text.Length > 0 ? text : reason ?? status.ToString());
    }
}
