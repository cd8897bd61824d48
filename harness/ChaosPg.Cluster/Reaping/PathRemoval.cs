namespace ChaosPg.Cluster.Reaping;

/// <summary>Deletes a file or directory that someone else (a reaper, a sweep) may be deleting at the same time.</summary>
internal static class PathRemoval
{
    private const int MaxAttempts = 20;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Deletes <paramref name="path"/> (recursively); true when this call found something to delete.</summary>
    public static bool Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                    return true;
                }

                if (File.Exists(path))
                {
                    File.Delete(path);
                    return true;
                }

                return false;
            }
            catch (IOException e) when (attempt < MaxAttempts && (e is not DirectoryNotFoundException || Directory.Exists(path) || File.Exists(path)))
            {
                // An entry vanished under the walk, deleted by the other party (a sweep of another run finds the same
                // dead run; .NET then gives up with DirectoryNotFoundException, leaving the rest), or one appeared: a killed server
                // still finishing a write (a loaded disk holds a SIGKILLed process in the kernel for seconds) adds
                // files as the walk removes them. Walk again what is left, a moment later.
                Thread.Sleep(RetryDelay);
            }
            catch (DirectoryNotFoundException)
            {
                return false;
            }
        }
    }
}
