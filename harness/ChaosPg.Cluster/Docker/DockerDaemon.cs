using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Docker.DotNet;

namespace ChaosPg.Cluster.Docker;

/// <summary>What a Docker daemon says of itself.</summary>
/// <param name="Endpoint">Where it answered (unix socket).</param>
/// <param name="ServerVersion">The engine's version, e.g. 20.10.24.</param>
/// <param name="ApiVersion">The newest API version it speaks, e.g. 1.41.</param>
public sealed record DockerDaemonInfo(Uri Endpoint, string ServerVersion, Version ApiVersion);

/// <summary>
/// Finds the Docker daemon and prepares Testcontainers for it. Testcontainers 4.16 asks for API 1.44 and does not
/// negotiate, and its reaper (Ryuk) must be pulled from a registry: so against an older daemon the API version is
/// pinned through DOCKER_API_VERSION, and Ryuk is turned off (ChaosPg labels and sweeps its own containers instead,
/// see <see cref="DockerSweeper"/>). Both are set only when the user has not set them.
/// </summary>
public static class DockerDaemon
{
    /// <summary>The API version Testcontainers asks for by default.</summary>
    public static readonly Version TestcontainersApiVersion = new(1, 44);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The daemon's socket: DOCKER_HOST when it names a unix socket, else /var/run/docker.sock.</summary>
    public static Uri Endpoint =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? new Uri(host)
            : new Uri("unix:///var/run/docker.sock");

    /// <summary>Asks the daemon for its version over its socket, with no Testcontainers type involved.</summary>
    /// <exception cref="ClusterConfigurationException">No daemon answers.</exception>
    public static async Task<DockerDaemonInfo> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var endpoint = Endpoint;
        var socketPath = endpoint.LocalPath;
        if (!File.Exists(socketPath))
        {
            throw new ClusterConfigurationException($"no Docker daemon: the socket {socketPath} does not exist; start dockerd (or set DOCKER_HOST=unix:///path), or use --backend local");
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler) { Timeout = ProbeTimeout };
        try
        {
            var version = await http.GetFromJsonAsync("http://docker/version", DockerJsonContext.Default.VersionAnswer, cancellationToken).ConfigureAwait(false)
                ?? throw new ClusterConfigurationException($"the Docker daemon at {socketPath} sent an empty /version answer");
            return new DockerDaemonInfo(endpoint, version.Version ?? "unknown", Version.Parse(version.ApiVersion ?? "1.24"));
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or System.Text.Json.JsonException or FormatException)
        {
            throw new ClusterConfigurationException($"no Docker daemon answers at {socketPath} ({e.Message.Split('\n')[0].Trim()}); start dockerd, or use --backend local");
        }
    }

    /// <summary>Sets what Testcontainers needs for <paramref name="daemon"/>; must run before any Testcontainers type is used.</summary>
    public static void ConfigureTestcontainers(DockerDaemonInfo daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        if (daemon.ApiVersion < TestcontainersApiVersion && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")))
        {
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", daemon.ApiVersion.ToString(2));
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED")))
        {
            Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        }
    }

    /// <summary>A Docker API client for what Testcontainers does not offer (signals, inspection, sweeping).</summary>
    public static DockerClient CreateClient(DockerDaemonInfo daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var version = daemon.ApiVersion < TestcontainersApiVersion ? daemon.ApiVersion : TestcontainersApiVersion;
        return new DockerClientBuilder().WithEndpoint(daemon.Endpoint).WithApiVersion(version).Build();
    }

    /// <summary>The repository:tag names of every image the daemon holds.</summary>
    public static async Task<IReadOnlyList<string>> ImageTagsAsync(DockerClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var images = await client.Images.ListImagesAsync(new global::Docker.DotNet.Models.ImagesListParameters(), cancellationToken).ConfigureAwait(false);
        return [.. images.SelectMany(i => i.RepoTags ?? []).Where(t => t != "<none>:<none>").Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="image"/> is among <paramref name="tags"/> (an image named without a tag means :latest).</summary>
    public static bool HasImage(IReadOnlyCollection<string> tags, string image)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentException.ThrowIfNullOrEmpty(image);
        var lastSlash = image.LastIndexOf('/');
        var tagged = image.IndexOf(':', lastSlash + 1) >= 0 ? image : image + ":latest";
        return tags.Contains(tagged, StringComparer.Ordinal);
    }
}

/// <summary>The fields of GET /version the harness reads.</summary>
internal sealed record VersionAnswer(string? Version, string? ApiVersion);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(VersionAnswer))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
