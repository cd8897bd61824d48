namespace ChaosPg.Cluster.Local;

/// <summary>
/// Creates the folders the server user must pass through (work root, templates, a run's work and log folders) with
/// their modes set explicitly: the caller's umask decides the modes Directory.CreateDirectory gives, and under umask
/// 077 the server user could not reach its own data directory ("postgres --single failed: Permission denied").
/// </summary>
internal static class ServerDirectory
{
    // rwxr-xr-x: anyone may pass through and list; only the harness writes. What lies inside keeps its own modes
    // (data directories 0700 owned by the server user, secrets 0600).
    private const UnixFileMode Traversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents, each with mode 0755.</summary>
    public static void Create(string path)
    {
        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(path); current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        Directory.CreateDirectory(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var created in missing)
        {
            File.SetUnixFileMode(created, Traversable);
        }
    }
}
