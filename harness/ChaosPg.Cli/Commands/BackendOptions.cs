using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Providers;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Scenarios;

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
    public string Chosen(ParseResult parseResult, string? defaultBackend = null) =>
        parseResult.GetResult(Backend) is { Implicit: false } ? parseResult.GetValue(Backend)! : defaultBackend ?? ClusterAxisNames.Local;

    /// <summary>A one-line error for image options given to the local backend, or null.</summary>
    public string? Conflict(ParseResult parseResult, string? defaultBackend = null) =>
        Chosen(parseResult, defaultBackend) == ClusterAxisNames.Local && (parseResult.GetValue(PgImage) ?? parseResult.GetValue(ToxiproxyImage)) is not null
            ? "chaospg: --pg-image and --toxiproxy-image are for --backend docker; the local backend takes --pg-bin"
            : null;

    /// <summary>The options with the backend and images given, else the defaults (a replay's recorded ones first).</summary>
    public ScenarioRunOptions Apply(ParseResult parseResult, ScenarioRunOptions options, string? defaultBackend = null, string? defaultPgImage = null, string? defaultToxiproxyImage = null) => options with
    {
        Backend = Chosen(parseResult, defaultBackend),
        PgImage = parseResult.GetValue(PgImage) ?? defaultPgImage ?? DockerClusterOptions.DefaultPgImage,
        ToxiproxyImage = parseResult.GetValue(ToxiproxyImage) ?? defaultToxiproxyImage ?? DockerClusterOptions.DefaultToxiproxyImage,
    };

    /// <summary>
    /// What keeps the options' cluster from starting (no PostgreSQL binaries, no Docker daemon or image, ...), asked
    /// of the provider before any run folder, process or container exists. Returns one line, or null.
    /// </summary>
    public static async Task<string?> PreflightAsync(ScenarioRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var request = options.Request(ClusterSpec.CreateBuilder().WithPgBinDirectory(options.PgBinDirectory).Build());
        var problems = await options.Provider.PreflightAsync(request, cancellationToken).ConfigureAwait(false);
        return problems.IsEmpty ? null : "chaospg: " + string.Join("; ", problems);
    }

    /// <summary>
    /// As <see cref="PreflightAsync(ScenarioRunOptions, CancellationToken)"/>, and also for each network mode and
    /// manager that the scenario files (or the *.yaml in a folder) ask for, so that e.g. <c>network: kernel</c> without
    /// root is one line before any run folder exists. A file that does not parse is left to the run to report. Only
    /// the combinations asked for are checked when any file parses: a Docker run of kernel scenarios alone needs no
    /// Toxiproxy image.
    /// </summary>
    public static async Task<string?> PreflightAsync(ScenarioRunOptions options, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var asked = new HashSet<(string Network, string Manager)>();
        foreach (var file in files.SelectMany(f => Directory.Exists(f) ? Directory.GetFiles(f, "*.yaml") : File.Exists(f) ? [f] : []))
        {
            var parsed = ScenarioParser.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
            if (parsed.Scenario is { } scenario)
            {
                asked.Add((scenario.Cluster.Network, scenario.Cluster.Manager));
            }
        }

        if (asked.Count == 0)
        {
            return await PreflightAsync(options, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (network, manager) in asked)
        {
            var request = options.Request(ClusterSpec.CreateBuilder().WithPgBinDirectory(options.PgBinDirectory).Build()) with { Network = network, Manager = manager };
            var problems = await options.Provider.PreflightAsync(request, cancellationToken).ConfigureAwait(false);
            if (!problems.IsEmpty)
            {
                return "chaospg: " + string.Join("; ", problems);
            }
        }

        return null;
    }

    private static Option<string> CreateBackend()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Where clusters run: local (PostgreSQL processes) or docker (containers through Testcontainers, with a Toxiproxy container, or kernel rules in them for network: kernel).",
            DefaultValueFactory = _ => "local",
        };
        option.AcceptOnlyFromAmong([.. ClusterProviderRegistry.Default.Available(ClusterAxis.Backend)]);
        return option;
    }
}
