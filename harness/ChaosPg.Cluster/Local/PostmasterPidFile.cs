using System.Globalization;

namespace ChaosPg.Cluster.Local;

/// <summary>The fields of a data directory's postmaster.pid the harness needs.</summary>
/// <param name="Pid">First line: the postmaster's pid.</param>
/// <param name="SharedMemoryId">Seventh line's second field: the SysV segment id.</param>
/// <param name="Status">Eighth line: starting, stopping, ready or standby.</param>
internal sealed record PostmasterPidFile(int Pid, int? SharedMemoryId, string Status)
{
    public static PostmasterPidFile? TryRead(string dataDirectory)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(dataDirectory, "postmaster.pid"));
        }
        catch (IOException)
        {
            return null;
        }

        if (lines.Length == 0 || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        int? shmId = null;
        if (lines.Length > 6 && lines[6].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var id]
            && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            shmId = parsed;
        }

        return new PostmasterPidFile(pid, shmId, lines.Length > 7 ? lines[7].Trim() : string.Empty);
    }
}
