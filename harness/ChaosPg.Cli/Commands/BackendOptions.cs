using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cli.Commands;

/// <summary>--backend, --pg-image and --toxiproxy-image: where clusters run, shared by every command that runs scenarios.</summary>
internal sealed class BackendOptions
{
    public Option<string> Backend { get; } = CreateBackend();

    public Option<string?> PgImage { get; } = new("--pg-image") { Description = $"PostgreSQL image for --backend docker (default {DockerClusterOptions.DefaultPgImage}; never pulled: `docker pull` it or build one with docker/images/build.sh)." };

    public Option<string?> ToxiproxyImage { get; } = new("--toxiproxy-image") { Description = $"Toxiproxy image for --backend docker (default {DockerClusterOptions.DefaultToxiproxyImage}, or chaospg/toxiproxy from docker/images/build.sh)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Backend);
        command.Options.Add(PgImage);
        command.Options.Add(ToxiproxyImage);
    }

    /// <summary>The backend given, else <paramref name="defaultBackend"/>, else local.</summary>
    public ClusterBackend Chosen(ParseResult parseResult, ClusterBackend? defaultBackend = null) =>
        parseResult.GetResult(Backend) is { Implicit: false } ? Parse(parseResult.GetValue(Backend)!) : defaultBackend ?? ClusterBackend.Local;

    /// <summary>A one-line error for image options given to the local backend, or null.</summary>
    public string? Conflict(ParseResult parseResult, ClusterBackend? defaultBackend = null) =>
        Chosen(parseResult, defaultBackend) == ClusterBackend.Local && (parseResult.GetValue(PgImage) ?? parseResult.GetValue(ToxiproxyImage)) is not null
            ? "chaospg: --pg-image and --toxiproxy-image are for --backend docker; the local backend takes --pg-bin"
            : null;

    /// <summary>The options with the backend and images given, else the defaults (a replay's recorded ones first).</summary>
    public ScenarioRunOptions Apply(ParseResult parseResult, ScenarioRunOptions options, ClusterBackend? defaultBackend = null, string? defaultPgImage = null, string? defaultToxiproxyImage = null) => options with
    {
        Backend = Chosen(parseResult, defaultBackend),
        PgImage = parseResult.GetValue(PgImage) ?? defaultPgImage ?? DockerClusterOptions.DefaultPgImage,
        ToxiproxyImage = parseResult.GetValue(ToxiproxyImage) ?? defaultToxiproxyImage ?? DockerClusterOptions.DefaultToxiproxyImage,
    };

    /// <summary>
    /// Before any run folder, process or container exists: for the local backend, that the PostgreSQL binaries are
    /// found and a given --toxiproxy-url answers; for the Docker backend, that a daemon answers and holds both images.
    /// Returns a one-line error, or null.
    /// </summary>
    public static async Task<string?> PreflightAsync(ScenarioRunOptions options, CancellationToken cancellationToken)
    {
        if (options.Backend != ClusterBackend.Docker)
        {
            try
            {
                await PgBinariesLocator.LocateAsync(options.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterConfigurationException e)
            {
                return "chaospg: " + e.Message;
            }

            return options.ToxiproxyUrl is { } url ? await ToxiproxyProblemAsync(url, cancellationToken).ConfigureAwait(false) : null;
        }

        try
        {
            var daemon = await DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
            using var client = DockerDaemon.CreateClient(daemon);
            var tags = await DockerDaemon.ImageTagsAsync(client, cancellationToken).ConfigureAwait(false);
            var missing = new[] { (options.PgImage, "--pg-image"), (options.ToxiproxyImage, "--toxiproxy-image") }.FirstOrDefault(i => !DockerDaemon.HasImage(tags, i.Item1));
            return missing.Item1 is null
                ? null
                : $"chaospg: the image {missing.Item1} ({missing.Item2}) is not present in the Docker daemon and ChaosPg never pulls: `docker pull {missing.Item1}`, or build ChaosPg's own with docker/images/build.sh and pass {missing.Item2}";
        }
        catch (ClusterConfigurationException e)
        {
            return "chaospg: " + e.Message;
        }
    }

    // A Toxiproxy the user named must answer before the run relies on it.
    private static async Task<string?> ToxiproxyProblemAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var client = new ToxiproxyClient(url);
            await client.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is ToxiproxyException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"chaospg: no Toxiproxy answers GET /version at --toxiproxy-url {url} ({e.Message.TrimEnd('.')}); start one (`chaospg proxy --port 8474` or toxiproxy-server) or leave the option out";
        }
    }

    public static ClusterBackend Parse(string name) => name == "docker" ? ClusterBackend.Docker : ClusterBackend.Local;

    private static Option<string> CreateBackend()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Where clusters run: local (PostgreSQL processes) or docker (containers through Testcontainers, with a Toxiproxy container).",
            DefaultValueFactory = _ => "local",
        };
        option.AcceptOnlyFromAmong("local", "docker");
        return option;
    }
}
