namespace ChaosPg.Cluster.Reaping;

/// <summary>Deletes a file or directory that someone else (a reaper, a sweep) may be deleting at the same time.</summary>
internal static class PathRemoval
{
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
            catch (DirectoryNotFoundException)
            {
                return false;
            }
            catch (IOException) when (attempt < 3)
            {
                // An entry vanished under the walk, deleted by the other party: walk again what is left.
            }
        }
    }
}
