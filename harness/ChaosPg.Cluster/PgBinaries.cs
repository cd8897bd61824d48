namespace ChaosPg.Cluster;

/// <summary>A PostgreSQL installation: its bin directory, where it was found, and its version.</summary>
/// <param name="BinDirectory">Directory holding postgres, initdb, pg_ctl, pg_rewind.</param>
/// <param name="Source">How it was found: "--pg-bin", "CHAOSPG_PG_BIN", "pg_config" or "/usr/lib/postgresql".</param>
/// <param name="Version">The version text printed by <c>postgres --version</c>, e.g. "15.18".</param>
/// <param name="MajorVersion">The major version, e.g. 15.</param>
public sealed record PgBinaries(string BinDirectory, string Source, string Version, int MajorVersion)
{
    public string Tool(string name) => Path.Combine(BinDirectory, name);
}
