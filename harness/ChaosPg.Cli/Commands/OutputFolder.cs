namespace ChaosPg.Cli.Commands;

/// <summary>Checks an output folder option before anything starts: a path under a regular file or in a folder the harness cannot write fails later, mid-run.</summary>
internal static class OutputFolder
{
    /// <summary>A one-line error when <paramref name="path"/> cannot be created or written, or null. Leaves nothing behind.</summary>
    public static string? Problem(string path, string option)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"chaospg: {option} '{path}' is not a usable path ({e.Message.TrimEnd('.')})";
        }

        // The nearest folder that exists is where the first new folder would be created, or where files go.
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                return $"chaospg: {option} {path}: {existing} is a file, not a folder; pass a folder path";
            }

            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return $"chaospg: {option} {path}: no part of it exists; pass a folder path";
            }
        }

        var probe = Path.Combine(existing, $".chaospg-write-probe-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"chaospg: {option} {path}: cannot write in {existing} ({e.Message.TrimEnd('.')}); pass a folder you can write";
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
