using ChaosPg.Cluster.Managers.Common;
using System.Net.Http.Headers;
using System.Text;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// The harness's own calls to Patroni's REST API, straight to a node's listen port (never through its link): read
/// <c>/cluster</c>, ask for a failover or switchover, switch maintenance mode. State-changing calls carry the run's
/// basic-auth credentials.
/// </summary>
internal sealed class PatroniRestClient : IDisposable
{
    private readonly HttpClient http;

    public PatroniRestClient(string restPassword)
    {
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PatroniConfig.RestUser}:{restPassword}")));
    }

    /// <summary>The <c>/cluster</c> view from <paramref name="rest"/>, or null when it does not answer within <paramref name="timeout"/>.</summary>
    public async Task<ManagerView?> TryGetClusterAsync(LinkEndpoint rest, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var body = await http.GetStringAsync(Url(rest, "cluster"), limit.Token).ConfigureAwait(false);
            return PatroniClusterJson.Parse(body);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The member's own role from <c>/patroni</c> (<c>master</c>/<c>primary</c> or <c>replica</c>) and its state, or null.</summary>
    public async Task<(string Role, string State)?> TryGetOwnStatusAsync(LinkEndpoint rest, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // /patroni answers 200 whatever the role; /primary and /replica encode it in the status code instead.
            var body = await http.GetStringAsync(Url(rest, "patroni"), limit.Token).ConfigureAwait(false);
            using var json = System.Text.Json.JsonDocument.Parse(body);
            var root = json.RootElement;
            return (root.TryGetProperty("role", out var role) ? role.GetString() ?? string.Empty : string.Empty,
                    root.TryGetProperty("state", out var state) ? state.GetString() ?? string.Empty : string.Empty);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>POST /failover (to <paramref name="candidate"/>, with or without a leader) or /switchover (from the leader); returns Patroni's answer, throws when it refuses.</summary>
    public async Task<string> FailoverAsync(LinkEndpoint rest, string action, string? leader, string? candidate, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, string>(StringComparer.Ordinal);
        if (leader is not null)
        {
            body["leader"] = leader;
        }

        if (candidate is not null)
        {
            body["candidate"] = candidate;
        }

        using var content = Json(body);
        using var response = await http.PostAsync(Url(rest, action), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Patroni refused the {action} (HTTP {(int)response.StatusCode}): {text.Trim()}");
        }

        return text.Trim();
    }

    /// <summary>PATCH /config {"pause": <paramref name="paused"/>}: maintenance mode on or off for the whole cluster.</summary>
    public async Task SetPausedAsync(LinkEndpoint rest, bool paused, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, Url(rest, "config")) { Content = Json(new Dictionary<string, bool> { ["pause"] = paused }) };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Patroni refused to {(paused ? "pause" : "resume")} (HTTP {(int)response.StatusCode}): {text.Trim()}");
        }
    }

    public void Dispose() => http.Dispose();

    // Patroni's http.server refuses a chunked body (HTTP 411): the JSON body's length must be known up front.
    private static StringContent Json<T>(T body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static Uri Url(LinkEndpoint rest, string path) => new($"http://{rest.Host}:{rest.Port}/{path}");
}
