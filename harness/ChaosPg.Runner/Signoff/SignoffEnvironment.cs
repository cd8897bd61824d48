using System.Collections.Immutable;

namespace ChaosPg.Runner.Signoff;

/// <summary>Where the sign-off ran, each as the distinct values its runs recorded ("unknown" when none did).</summary>
/// <param name="PostgresVersions">Server versions the primaries reported.</param>
/// <param name="Backends">"local" or "docker".</param>
/// <param name="GitCommits">Commits of the harness that ran.</param>
/// <param name="ProxyKinds">Which Toxiproxy carried the links.</param>
/// <param name="StartedUtc">When the first run started, or null when no run recorded it.</param>
public sealed record SignoffEnvironment(
    ImmutableArray<string> PostgresVersions,
    ImmutableArray<string> Backends,
    ImmutableArray<string> GitCommits,
    ImmutableArray<string> ProxyKinds,
    DateTimeOffset? StartedUtc);
