using System.Collections.Immutable;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;

namespace ChaosPg.Runner.Orchestration;

/// <summary>How <see cref="ScenarioRunner"/> runs a scenario: where results go, the seed, binaries, proxy and timeouts.</summary>
public sealed record ScenarioRunOptions
{
    /// <summary>The reports folder; runs go to <c>&lt;root&gt;/runs/&lt;scenario&gt;/&lt;utc&gt;-&lt;seed&gt;/</c>.</summary>
    public string ReportsRoot { get; init; } = "reports";

    /// <summary>The seed of the workload; null picks a random one (recorded either way).</summary>
    public long? Seed { get; init; }

    /// <summary>Keeps the nodes' data directories after the run (for a post-mortem).</summary>
    public bool KeepData { get; init; }

    /// <summary>What runs the nodes (<c>--backend</c>): a backend name of the provider (local processes, docker containers).</summary>
    public string Backend { get; init; } = ClusterAxisNames.Local;

    /// <summary>
    /// The HA managers to run each scenario against (<c>--manager a,b</c>): each scenario runs once per manager, with
    /// the same seed and schedule, in place of its own <c>cluster.manager</c>. Empty: each scenario's own manager.
    /// </summary>
    public ImmutableArray<string> Managers { get; init; } = [];

    /// <summary>What makes each run's cluster exist; the scenario gives its network mode and manager.</summary>
    public IClusterProvider Provider { get; init; } = ClusterProvider.Default;

    /// <summary>The PostgreSQL image of the Docker backend (<c>--pg-image</c>).</summary>
    public string PgImage { get; init; } = DockerClusterOptions.DefaultPgImage;

    /// <summary>The Toxiproxy image of the Docker backend (<c>--toxiproxy-image</c>).</summary>
    public string ToxiproxyImage { get; init; } = DockerClusterOptions.DefaultToxiproxyImage;

    /// <summary>The PostgreSQL bin directory (<c>--pg-bin</c>), or null to detect it.</summary>
    public string? PgBinDirectory { get; init; }

    /// <summary>A running Toxiproxy (<c>--toxiproxy-url</c>); null starts toxiproxy-server from PATH or the embedded one.</summary>
    public Uri? ToxiproxyUrl { get; init; }

    /// <summary>The cluster someone else runs (<c>--target</c>), for the target backend; null otherwise.</summary>
    public TargetSpec? Target { get; init; }

    /// <summary>True when <c>--i-own-this-cluster</c> was given (a target file can say so itself).</summary>
    public bool OwnsTarget { get; init; }

    /// <summary>Where clusters keep their data directories and templates.</summary>
    public string WorkRoot { get; init; } = "/var/tmp/chaospg";

    /// <summary>How long the final wait for convergence may take after the closing heal.</summary>
    public TimeSpan ConvergenceDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds the removal of faults, the closing heal and each teardown step; never the run's own token.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Told what the run does as it goes (the CLI's live view); null tells nobody.</summary>
    public IRunProgress? Progress { get; init; }

    /// <summary>
    /// The request for a cluster of <paramref name="spec"/> with these options' backend, images, proxy and work root,
    /// and the default network mode and manager (a scenario's are set by the runner).
    /// </summary>
    public ClusterRequest Request(ClusterSpec spec) => new(spec)
    {
        Backend = Backend,
        PgImage = PgImage,
        ToxiproxyImage = ToxiproxyImage,
        ToxiproxyUrl = ToxiproxyUrl,
        Target = Target,
        KeepData = KeepData,
        WorkRoot = WorkRoot,
        CleanupTimeout = CleanupTimeout,
    };
}
