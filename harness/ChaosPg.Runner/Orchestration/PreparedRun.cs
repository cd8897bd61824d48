using ChaosPg.Cluster;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Local;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// A run whose folder exists and whose cluster is up behind its own Toxiproxy (or whose bring-up failed, see
/// <see cref="BringUpError"/>), waiting for <see cref="ScenarioRunner.RunAsync(PreparedRun, Action?, CancellationToken)"/>.
/// A suite prepares the next scenario while the current one ends. Disposal tears down what was started.
/// </summary>
public sealed class PreparedRun : IAsyncDisposable
{
    private readonly TimeSpan cleanupTimeout;
    private int disposed;

    internal PreparedRun(Scenario scenario, SchedulePlan plan, string scenarioFile, long seed, DateTimeOffset startedUtc, RunFolder folder, TimeSpan cleanupTimeout)
    {
        Scenario = scenario;
        Plan = plan;
        ScenarioFile = scenarioFile;
        Seed = seed;
        StartedUtc = startedUtc;
        Folder = folder;
        this.cleanupTimeout = cleanupTimeout;
    }

    public Scenario Scenario { get; }

    public long Seed { get; }

    public RunFolder Folder { get; }

    /// <summary>Why the cluster could not come up, or null when it is ready.</summary>
    public string? BringUpError { get; internal set; }

    internal SchedulePlan Plan { get; }

    internal string ScenarioFile { get; }

    internal DateTimeOffset StartedUtc { get; }

    /// <summary>The images of a Docker-backend run, recorded so that a replay uses them again.</summary>
    internal (string PgImage, string ToxiproxyImage)? Images { get; set; }

    /// <summary>The backend's name before the cluster exists (local or docker).</summary>
    internal string BackendName { get; set; } = "local";

    internal string GitCommit { get; set; } = Orchestration.GitCommit.Unknown;

    internal TimeSpan PreparationTime { get; set; }

    internal ToxiproxyHandle? Proxy { get; set; }

    internal ToxiproxyLinkRouter? Router { get; set; }

    internal IReplicatedCluster? Cluster { get; set; }

    /// <summary>Which Toxiproxy carries the links, once known.</summary>
    internal ToxiproxyKind? ProxyKind { get; set; }

    internal string? ProxyVersion { get; set; }

    /// <summary>With --keep-data, the data directories the run leaves in place; null otherwise.</summary>
    internal IReadOnlyList<string>? KeptDataDirectories { get; set; }

    /// <summary>The manifest as of now: <paramref name="endedUtc"/> and <paramref name="exitStatus"/> are null until the run ends.</summary>
    internal RunManifest Manifest(DateTimeOffset? endedUtc, int? exitStatus, ToxiproxyKind defaultProxyKind) => new(
        Scenario.Name,
        Scenario.Description,
        ScenarioFile,
        Seed,
        Cluster?.Backend ?? BackendName,
        Cluster?.ServerVersion ?? "unknown",
        ProxyKind ?? defaultProxyKind,
        ProxyVersion,
        GitCommit,
        RunManifest.ReplayCommandFor(Folder.Path),
        StartedUtc,
        endedUtc,
        Scenario.Cluster.Replication.ToString().ToLowerInvariant(),
        Scenario.Cluster.Replicas,
        exitStatus,
        Images?.PgImage,
        Images?.ToxiproxyImage,
        KeptDataDirectories);

    /// <summary>Stops the cluster, the router and the proxy, in that order, each bounded by the cleanup timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        var failures = new List<Exception>();
        foreach (var step in new IAsyncDisposable?[] { Cluster, Router, Proxy })
        {
            if (step is null)
            {
                continue;
            }

            try
            {
                await step.DisposeAsync().AsTask().WaitAsync(cleanupTimeout).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One teardown step failing must not keep the next from running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("tearing down the cluster, its link router or Toxiproxy failed", failures);
        }
    }
}
