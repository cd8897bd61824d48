namespace ChaosPg.Cluster.Target;

/// <summary>
/// One connection of a target node: an Npgsql connection string without a password, and the environment variable
/// the password is read from when the run starts (never written into the target file).
/// </summary>
/// <param name="ConnectionString">Host, port, user, database and options; no password.</param>
/// <param name="PasswordEnvironmentVariable">The variable holding the password, or null when none is needed (trust, a passfile).</param>
public sealed record TargetConnection(string ConnectionString, string? PasswordEnvironmentVariable);
