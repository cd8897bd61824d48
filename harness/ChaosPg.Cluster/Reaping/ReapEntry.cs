using System.Globalization;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Reaping;

/// <summary>One thing a run started that its reaper removes if the harness dies: a line of the reap list.</summary>
/// <param name="Kind">What <paramref name="Target"/> is.</param>
/// <param name="Target">The pid (as text), marker, data directory, label, namespace name or path.</param>
/// <param name="StartTime">For a process: its start time in clock ticks since boot, which must still match.</param>
/// <param name="What">What it is, for the reaper's log (<c>postmaster of replica1</c>).</param>
public sealed record ReapEntry(ReapKind Kind, string Target, long? StartTime = null, string? What = null)
{
    /// <summary>The process <paramref name="pid"/> as it runs now, or null when it is already gone.</summary>
    public static ReapEntry? Process(int pid, string what) =>
        ProcessTable.StartTime(pid) is { } start ? new ReapEntry(ReapKind.Process, pid.ToString(CultureInfo.InvariantCulture), start, what) : null;

    /// <summary>
    /// Every process whose command line contains <paramref name="marker"/>, an absolute path unique to the run (its
    /// work directory): it names processes not started yet, or started by a process that died before registering them.
    /// </summary>
    public static ReapEntry CommandLine(string marker, string what)
    {
        if (!System.IO.Path.IsPathFullyQualified(marker) || marker.TrimEnd('/').Count(c => c == '/') < 3)
        {
            throw new ArgumentException($"a command-line marker must be an absolute path at least three levels deep, unique to the run; '{marker}' is not", nameof(marker));
        }

        return new ReapEntry(ReapKind.CommandLine, marker, What: what);
    }

    /// <summary>A PostgreSQL data directory whose leftover shared memory segment is removed once its processes are gone.</summary>
    public static ReapEntry PostgresData(string dataDirectory, string what) => new(ReapKind.PostgresData, dataDirectory, What: what);

    /// <summary>Every container, network and volume with the Docker label <paramref name="label"/> (<c>name=value</c>).</summary>
    public static ReapEntry DockerLabel(string label, string what) => new(ReapKind.DockerLabel, label, What: what);

    /// <summary>A network namespace, deleted with <c>ip netns delete</c> once the processes are gone.</summary>
    public static ReapEntry NetworkNamespace(string name, string what) => new(ReapKind.NetworkNamespace, name, What: what);

    /// <summary>A file or directory deleted last, once nothing runs in it.</summary>
    public static ReapEntry Path(string path, string what) => new(ReapKind.Path, path, What: what);

    /// <summary>The pid of a <see cref="ReapKind.Process"/> entry.</summary>
    internal int Pid => int.Parse(Target, NumberStyles.None, CultureInfo.InvariantCulture);
}
