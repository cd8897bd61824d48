namespace ChaosPg.Cluster;

/// <summary>The machine facts binary detection reads; a seam so the detection order is unit-testable.</summary>
/// <param name="GetEnvironmentVariable">Reads an environment variable.</param>
/// <param name="PgConfigBinDirectoryAsync">Runs <c>pg_config --bindir</c>; null when pg_config is absent or fails.</param>
/// <param name="InstalledBinDirectories">Lists /usr/lib/postgresql/*/bin directories.</param>
/// <param name="HasPostgres">Whether a directory holds a <c>postgres</c> executable.</param>
public sealed record PgBinariesProbe(
    Func<string, string?> GetEnvironmentVariable,
    Func<CancellationToken, Task<string?>> PgConfigBinDirectoryAsync,
    Func<IReadOnlyList<string>> InstalledBinDirectories,
    Func<string, bool> HasPostgres)
{
    /// <summary>The probe that reads this machine.</summary>
    public static PgBinariesProbe System { get; } = new(
        Environment.GetEnvironmentVariable,
        async cancellationToken =>
        {
            try
            {
                var result = await ProcessRunner.RunAsync("pg_config", ["--bindir"], cancellationToken: cancellationToken).ConfigureAwait(false);
                return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        },
        () => Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).ToList()
            : [],
        dir => File.Exists(Path.Combine(dir, "postgres")));
}
