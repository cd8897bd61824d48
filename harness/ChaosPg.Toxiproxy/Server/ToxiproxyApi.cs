using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>Routes Toxiproxy's HTTP API onto the registry, with Toxiproxy's status codes, headers and bodies.</summary>
internal sealed class ToxiproxyApi
{
    private const string JsonContentType = "application/json";
    private const string TextContentType = "text/plain; charset=utf-8";
    private readonly ProxyRegistry _registry;
    private readonly byte[] _versionBody;

    public ToxiproxyApi(ProxyRegistry registry, string version)
    {
        _registry = registry;
        _versionBody = Encoding.UTF8.GetBytes($"{{\"version\": \"{version}\"}}\n");
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        // On every response, even a 404: a client tells the embedded server from a real one by this, never by the version.
        context.Response.Headers[ToxiproxyServerIdentity.HeaderName] = ToxiproxyServerIdentity.EmbeddedValue;
        var segments = (request.Path.Value ?? "/").Split('/')[1..];
        if (segments.Any(segment => segment.Length == 0) || !TryRoute(segments, out var methods))
        {
            await WriteAsync(context, 404, TextContentType, "404 page not found\n"u8.ToArray(), nosniff: true).ConfigureAwait(false);
            return;
        }

        if (!methods.Contains(request.Method, StringComparer.Ordinal))
        {
            context.Response.StatusCode = 405;
            return;
        }

        context.Response.Headers["X-Toxiproxy-Request-Id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        if (request.Headers.UserAgent.ToString().StartsWith("Mozilla/", StringComparison.Ordinal))
        {
            await WriteAsync(context, 403, TextContentType, "User agent not allowed\n"u8.ToArray(), nosniff: true).ConfigureAwait(false);
            return;
        }

        if (segments is ["version"])
        {
            await WriteAsync(context, 200, "application/json;charset=utf-8", _versionBody).ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.RequestAborted;
        try
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);

            // Once started, a change runs to the end even if the client hangs up, so a proxy is never left half-restarted.
            var (status, response) = await _registry.LockedAsync(
                () => DispatchAsync(request.Method, segments, body, CancellationToken.None), cancellationToken).ConfigureAwait(false);
            await WriteAsync(context, status, response is null ? null : JsonContentType, response).ConfigureAwait(false);
        }
        catch (ApiException error)
        {
            await WriteAsync(context, error.Status, TextContentType, ServerJson.ErrorBody(error.Message, error.Status), nosniff: true).ConfigureAwait(false);
        }
    }

    private static bool TryRoute(string[] segments, out string[] methods)
    {
        methods = segments switch
        {
            ["version"] => ["GET"],
            ["reset"] or ["populate"] => ["POST"],
            ["proxies"] or ["proxies", _, "toxics"] => ["GET", "POST"],
            ["proxies", _] or ["proxies", _, "toxics", _] => ["GET", "POST", "PATCH", "DELETE"],
            _ => [],
        };
        return methods.Length > 0;
    }

    private async Task<(int Status, byte[]? Body)> DispatchAsync(string method, string[] segments, byte[] body, CancellationToken cancellationToken)
    {
        switch (segments)
        {
            case ["reset"]:
                await _registry.ResetAsync(cancellationToken).ConfigureAwait(false);
                return (204, null);
            case ["populate"]:
                return await PopulateAsync(body, cancellationToken).ConfigureAwait(false);
            case ["proxies"] when method == "GET":
                return (200, ServerJson.Write(writer =>
                {
                    writer.WriteStartObject();
                    foreach (var proxy in _registry.All)
                    {
                        writer.WritePropertyName(proxy.Name);
                        ServerJson.WriteProxy(writer, proxy);
                    }

                    writer.WriteEndObject();
                }));
            case ["proxies"]:
            {
                using var document = ServerJson.Parse(body);
                var created = await _registry.CreateAsync(ServerJson.ReadProxy(document.RootElement, "proxy.Proxy"), cancellationToken).ConfigureAwait(false);
                return (201, ProxyBody(created));
            }

            case ["proxies", var name] when method == "GET":
                return (200, ProxyBody(_registry.Get(name)));
            case ["proxies", var name] when method == "DELETE":
                await _registry.DeleteAsync(name).ConfigureAwait(false);
                return (204, null);
            case ["proxies", var name]:
            {
                _registry.Get(name);
                using var document = ServerJson.Parse(body);
                var updated = await _registry.UpdateAsync(name, ServerJson.ReadProxy(document.RootElement, "proxy.Proxy"), cancellationToken).ConfigureAwait(false);
                return (200, ProxyBody(updated));
            }

            case ["proxies", var name, "toxics"] when method == "GET":
            {
                var proxy = _registry.Get(name);
                return (200, ServerJson.Write(writer =>
                {
                    writer.WriteStartArray();
                    foreach (var toxic in proxy.Toxics)
                    {
                        ServerJson.WriteToxic(writer, toxic);
                    }

                    writer.WriteEndArray();
                }));
            }

            case ["proxies", var name, "toxics"]:
            {
                _registry.Get(name);
                using var document = ServerJson.Parse(body);
                return (200, ToxicBody(_registry.AddToxic(name, ServerJson.ReadToxic(document.RootElement))));
            }

            case ["proxies", var name, "toxics", var toxic] when method == "GET":
                return (200, ToxicBody(_registry.GetToxic(name, toxic)));
            case ["proxies", var name, "toxics", var toxic] when method == "DELETE":
                _registry.RemoveToxic(name, toxic);
                return (204, null);
            case ["proxies", var name, "toxics", var toxic]:
            {
                _registry.GetToxic(name, toxic);
                using var document = ServerJson.Parse(body);
                return (200, ToxicBody(_registry.UpdateToxic(name, toxic, ServerJson.ReadToxic(document.RootElement))));
            }

            default:
                throw new UnreachableException("TryRoute admits only the routes handled here.");
        }
    }

    private async Task<(int Status, byte[]? Body)> PopulateAsync(byte[] body, CancellationToken cancellationToken)
    {
        // /populate answers its errors as JSON with the proxies done so far, unlike every other endpoint.
        try
        {
            using var document = ServerJson.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw ApiException.BadBody($"json: cannot unmarshal {(document.RootElement.ValueKind == JsonValueKind.Object ? "object" : "value")} into Go value of type []proxy.Proxy");
            }

            ImmutableArray<ProxyRequest> requests = [.. document.RootElement.EnumerateArray().Select(element => ServerJson.ReadProxy(element, "proxy.Proxy"))];
            var (done, error) = await _registry.PopulateAsync(requests, cancellationToken).ConfigureAwait(false);
            return error is null ? (201, PopulateBody(done, null)) : (error.Status, PopulateBody(done, error));
        }
        catch (ApiException error)
        {
            return (error.Status, PopulateBody(default, error));
        }
    }

    private static byte[] PopulateBody(ImmutableArray<ProxyInstance> proxies, ApiException? error) => ServerJson.Write(writer =>
    {
        writer.WriteStartObject();
        if (error is not null)
        {
            writer.WriteString("error", error.Message);
            writer.WriteNumber("status", error.Status);
        }

        writer.WritePropertyName("proxies");
        if (proxies.IsDefaultOrEmpty)
        {
            // Go serializes an empty (nil) slice as null.
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartArray();
            foreach (var proxy in proxies)
            {
                ServerJson.WriteProxy(writer, proxy);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    });

    private static byte[] ProxyBody(ProxyInstance proxy) => ServerJson.Write(writer => ServerJson.WriteProxy(writer, proxy));

    private static byte[] ToxicBody(ToxicDefinition toxic) => ServerJson.Write(writer => ServerJson.WriteToxic(writer, toxic));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, int status, string? contentType, byte[]? body, bool nosniff = false)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (nosniff)
        {
            response.Headers["X-Content-Type-Options"] = "nosniff";
        }

        if (body is null)
        {
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
