using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosPg.Cluster;

/// <summary>Finds PostgreSQL binaries: --pg-bin, then CHAOSPG_PG_BIN, then <c>pg_config --bindir</c>, then the newest /usr/lib/postgresql/*/bin.</summary>
public static partial class PgBinariesLocator
{
    public const string EnvironmentVariable = "CHAOSPG_PG_BIN";

    /// <summary>Locates the binaries and reads their version; throws <see cref="ClusterConfigurationException"/> when none are found.</summary>
    public static async Task<PgBinaries> LocateAsync(string? explicitBinDirectory, PgBinariesProbe? probe = null, CancellationToken cancellationToken = default)
    {
        var choice = await ChooseAsync(explicitBinDirectory, probe ?? PgBinariesProbe.System, cancellationToken).ConfigureAwait(false);
        var result = await ProcessRunner.RunAsync(Path.Combine(choice.BinDirectory, "postgres"), ["--version"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var match = VersionPattern().Match(result.StandardOutput);
        if (result.ExitCode != 0 || !match.Success)
        {
            throw new ClusterConfigurationException(
                $"'{Path.Combine(choice.BinDirectory, "postgres")} --version' did not print a version (exit {result.ExitCode}); point --pg-bin or {EnvironmentVariable} at a working PostgreSQL bin directory.");
        }

        return new PgBinaries(
            choice.BinDirectory,
            choice.Source,
            match.Groups["version"].Value,
            int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Applies the detection order without running postgres.</summary>
    public static async Task<PgBinDirectoryChoice> ChooseAsync(string? explicitBinDirectory, PgBinariesProbe probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (!string.IsNullOrWhiteSpace(explicitBinDirectory))
        {
            // An explicit choice that is wrong is an error, never silently replaced by another installation.
            return probe.HasPostgres(explicitBinDirectory)
                ? new PgBinDirectoryChoice(explicitBinDirectory, "--pg-bin")
                : throw new ClusterConfigurationException($"--pg-bin {explicitBinDirectory} has no 'postgres' executable; give the bin directory of a PostgreSQL installation.");
        }

        var fromEnvironment = probe.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return probe.HasPostgres(fromEnvironment)
                ? new PgBinDirectoryChoice(fromEnvironment, EnvironmentVariable)
                : throw new ClusterConfigurationException($"{EnvironmentVariable}={fromEnvironment} has no 'postgres' executable; point it at the bin directory of a PostgreSQL installation.");
        }

        var fromPgConfig = await probe.PgConfigBinDirectoryAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(fromPgConfig) && probe.HasPostgres(fromPgConfig))
        {
            return new PgBinDirectoryChoice(fromPgConfig, "pg_config");
        }

        var newest = probe.InstalledBinDirectories()
            .Where(probe.HasPostgres)
            .Select(dir => (dir, version: ParseDirectoryVersion(dir)))
            .Where(x => x.version is not null)
            .OrderByDescending(x => x.version)
            .Select(x => x.dir)
            .FirstOrDefault();
        if (newest is not null)
        {
            return new PgBinDirectoryChoice(newest, "/usr/lib/postgresql");
        }

        throw new ClusterConfigurationException(
            $"PostgreSQL binaries not found (looked at --pg-bin, {EnvironmentVariable}, pg_config --bindir{(fromPgConfig is null ? string.Empty : $" = {fromPgConfig}")}, /usr/lib/postgresql/*/bin); install PostgreSQL (apt-get install postgresql-15) or pass --pg-bin DIR or set {EnvironmentVariable}=DIR.");
    }

    private static Version? ParseDirectoryVersion(string binDirectory)
    {
        var name = Path.GetFileName(Path.GetDirectoryName(binDirectory.TrimEnd('/')));
        if (name is null)
        {
            return null;
        }

        return Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(?<version>(?<major>\d+)(\.\d+)?)")]
    private static partial Regex VersionPattern();
}
