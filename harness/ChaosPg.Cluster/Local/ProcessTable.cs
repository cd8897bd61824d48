using System.Globalization;

namespace ChaosPg.Cluster.Local;

/// <summary>Reads /proc: liveness, parents, command lines.</summary>
internal static class ProcessTable
{
    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = ReadStat(pid);
        return stat is not null && stat.Value.State != 'Z';
    }

    /// <summary>Direct children of <paramref name="pid"/> (a postmaster's backends and auxiliary processes).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && ReadStat(candidate) is { ParentPid: var parent } && parent == pid)
            {
                children.Add(candidate);
            }
        }

        return children;
    }

    /// <summary>The process start time in clock ticks since boot; with the pid it identifies a process across pid reuse.</summary>
    public static long? StartTime(int pid) => ReadStat(pid)?.StartTime;

    /// <summary>The process group of <paramref name="pid"/> (its own pid when it leads one, as a setsid'd server does).</summary>
    public static int? ProcessGroup(int pid) => ReadStat(pid)?.ProcessGroup;

    /// <summary>Every pid in /proc at this moment.</summary>
    public static IReadOnlyList<int> All()
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>True when <paramref name="pid"/> is alive and is a postgres serving <paramref name="dataDirectory"/> (not a reused pid).</summary>
    public static bool IsPostmasterOf(int pid, string dataDirectory) =>
        IsAlive(pid) && CommandLine(pid).Contains(dataDirectory, StringComparison.Ordinal);

    /// <summary>The command line with its arguments joined by spaces; empty for a zombie, a kernel thread or a process gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static (char State, int ParentPid, int ProcessGroup, long StartTime)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name in parentheses may itself hold spaces and parentheses: fields start after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
