using ChaosPg.Cluster;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// A run whose folder exists and whose cluster is up behind its own Toxiproxy (or whose bring-up failed, see
/// <see cref="BringUpError"/>), waiting for <see cref="ScenarioRunner.RunAsync(PreparedRun, Action?, CancellationToken)"/>.
/// A suite prepares the next scenario while the current one ends. Disposal tears down what was started.
/// </summary>
public sealed class PreparedRun : IAsyncDisposable
{
    private int disposed;

    internal PreparedRun(Scenario scenario, SchedulePlan plan, string scenarioFile, long seed, DateTimeOffset startedUtc, RunFolder folder)
    {
        Scenario = scenario;
        Plan = plan;
        ScenarioFile = scenarioFile;
        Seed = seed;
        StartedUtc = startedUtc;
        Folder = folder;
    }

    public Scenario Scenario { get; }

    public long Seed { get; }

    public RunFolder Folder { get; }

    /// <summary>Why the cluster could not come up, or null when it is ready.</summary>
    public string? BringUpError { get; internal set; }

    internal SchedulePlan Plan { get; }

    internal string ScenarioFile { get; }

    internal DateTimeOffset StartedUtc { get; }

    /// <summary>
    /// How the cluster comes (or came) to exist: backend, network mode, manager, proxy and images; planned before
    /// bring-up, so that a run whose cluster never started still records them.
    /// </summary>
    internal ClusterFacts Facts { get; set; } = new(ClusterAxisNames.Local, ClusterAxisNames.Proxy, ClusterAxisNames.None);

    internal string GitCommit { get; set; } = Orchestration.GitCommit.Unknown;

    internal TimeSpan PreparationTime { get; set; }

    /// <summary>The cluster the provider made, with its router and link faults, once up.</summary>
    internal ProvidedCluster? Provided { get; set; }

    internal IReplicatedCluster? Cluster => Provided?.Cluster;

    /// <summary>The target of a --target run, recorded in run.json by its file and hash; null otherwise.</summary>
    internal TargetSpec? Target { get; init; }

    /// <summary>With --keep-data, the data directories the run leaves in place; null otherwise.</summary>
    internal IReadOnlyList<string>? KeptDataDirectories { get; set; }

    /// <summary>The manifest as of now: <paramref name="endedUtc"/> and <paramref name="exitStatus"/> are null until the run ends.</summary>
    internal RunManifest Manifest(DateTimeOffset? endedUtc, int? exitStatus) => new(
        Scenario.Name,
        Scenario.Description,
        ScenarioFile,
        Seed,
        Facts.Backend,
        Cluster?.ServerVersion ?? "unknown",
        Facts.ProxyKind,
        Facts.ProxyVersion,
        GitCommit,
        RunManifest.ReplayCommandFor(Folder.Path),
        StartedUtc,
        endedUtc,
        Scenario.Cluster.Replication.ToString().ToLowerInvariant(),
        Scenario.Cluster.Replicas,
        exitStatus,
        Facts.PgImage,
        Facts.ToxiproxyImage,
        Facts.Network,
        Facts.Manager,
        KeptDataDirectories,
        Target is null ? null : Path.GetFullPath(Target.File),
        Target?.ContentSha256,
        (Cluster as IManagedCluster)?.Facts);

    /// <summary>Stops the cluster, its router and what its network mode started, each bounded by the cleanup timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1 || Provided is null)
        {
            return;
        }

        await Provided.DisposeAsync().ConfigureAwait(false);
    }
}
