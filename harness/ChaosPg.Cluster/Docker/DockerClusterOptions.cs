using ChaosPg.Cluster.Reaping;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChaosPg.Cluster.Docker;

/// <summary>How a <see cref="DockerCluster"/> is brought up.</summary>
public sealed record DockerClusterOptions
{
    /// <summary>The official image the Docker backend defaults to.</summary>
    public const string DefaultPgImage = "postgres:16";

    /// <summary>The official Toxiproxy image the Docker backend defaults to.</summary>
    public const string DefaultToxiproxyImage = "ghcr.io/shopify/toxiproxy:2.12.0";

    /// <summary>
    /// The PostgreSQL image: the official <c>postgres</c> image or one that keeps its contract (POSTGRES_PASSWORD,
    /// /docker-entrypoint-initdb.d, server binaries on PATH), such as those docker/images/build.sh makes.
    /// </summary>
    public string PgImage { get; init; } = DefaultPgImage;

    /// <summary>The Toxiproxy image (the official one, or chaospg/toxiproxy from docker/images/build.sh).</summary>
    public string ToxiproxyImage { get; init; } = DefaultToxiproxyImage;

    /// <summary>Where the containers' logs are written at teardown; null: not written.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Where Testcontainers logs what it does (default: nowhere; the CLI's own progress says enough).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// The run's reaper, when the caller started one to share; the caller then owns it. Null: the cluster starts its
    /// own, which removes the run's containers, networks and volumes (by their run label) if this process dies.
    /// </summary>
    public RunReaper? Reaper { get; init; }

    /// <summary>
    /// The kernel network mode's addresses (<see cref="Networks.Kernel.KernelTopology.ForContainers"/>): no Toxiproxy
    /// container, the run's network on that /24 with a static address per node, link faults as iptables/tc rules in
    /// the containers' namespaces. Null: the proxy mode.
    /// </summary>
    public Networks.Kernel.KernelTopology? Kernel { get; init; }

    /// <summary>How long a node may take to accept connections, and replicas to stream.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
