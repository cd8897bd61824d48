using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>Directories and files of a run that only the server user may read: data directories, configs, passfiles.</summary>
internal static class PrivateFiles
{
    /// <summary>Creates <paramref name="path"/> (mode 0700) for <paramref name="user"/>, emptied if it existed.</summary>
    public static void NewDirectory(string path, ServerUser user)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        user.Own(path);
    }

    /// <summary>Writes <paramref name="content"/> to a file of mode 0600 owned by <paramref name="user"/>.</summary>
    public static async Task WriteAsync(string path, string content, ServerUser user, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
        SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        user.Own(path);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
