using System.Diagnostics;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>
/// One long-running process of a manager (etcd, Patroni) started by the harness as the server user, in a session of
/// its own, its output appended to a log file. The pid held is the program's own: <c>exec setsid setpriv ...</c>
/// keeps one pid all the way down (a pid taken through runuser would be runuser's, not the program's).
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly ServerUser user;
    private readonly string fileName;
    private readonly IReadOnlyList<string> arguments;
    private readonly IReadOnlyDictionary<string, string> environment;
    private Process? process;
    private long startTime;

    public ManagedProcess(string name, ServerUser user, string fileName, IReadOnlyList<string> arguments, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        this.user = user;
        this.fileName = fileName;
        this.arguments = arguments;
        LogFile = logFile;
        this.environment = environment ?? new Dictionary<string, string>();
    }

    /// <summary>What the process is, for messages (for example <c>etcd1</c>, <c>patroni primary</c>).</summary>
    public string Name { get; }

    /// <summary>Where its stdout and stderr go.</summary>
    public string LogFile { get; }

    /// <summary>Its pid while it runs (a paused process runs); null once it has exited.</summary>
    public int? Pid => process is { } p && ProcessTable.IsAlive(p.Id) && ProcessTable.StartTime(p.Id) == startTime ? p.Id : null;

    /// <summary>The start time /proc reports for it, to tell it from a later process that reuses the pid.</summary>
    public long StartTime => startTime;

    public bool IsRunning => Pid is not null;

    /// <summary>Starts the process; it must not be running.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        var (file, args) = user.Command(fileName, arguments);
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
        // setsid: a Ctrl-C meant for the harness never reaches the process; the harness decides how it stops.
        foreach (var argument in (IEnumerable<string>)["-c", "log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null", "sh", LogFile, file, .. args])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        process?.Dispose();
        process = Process.Start(startInfo) ?? throw new NodeStartException($"could not start {Name}");
        startTime = ProcessTable.StartTime(process.Id) ?? 0;
    }

    /// <summary>True when the process has exited (crashed during start, or stopped).</summary>
    public bool HasExited => process is null || process.HasExited;

    /// <summary>The exit code of an exited process.</summary>
    public int? ExitCode => process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>SIGKILL; returns once the process is gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (Pid is not { } pid)
        {
            return;
        }

        NativeMethods.Signal(pid, NativeMethods.SigKill);
        await PostmasterSignals.WaitGoneAsync([pid], StopTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// SIGKILL of the process and then of what it had started and still runs (a Patroni's pg_basebackup or
    /// pg_rewind), except <paramref name="keep"/>: for teardown, so nothing writes into a directory being deleted.
    /// </summary>
    public async Task KillTreeAsync(Func<int, bool> keep, CancellationToken cancellationToken = default)
    {
        if (Pid is not { } pid)
        {
            return;
        }

        var descendants = Descendants(pid).Where(d => !keep(d)).ToList();
        await KillAsync(cancellationToken).ConfigureAwait(false);
        foreach (var descendant in descendants)
        {
            NativeMethods.Signal(descendant, NativeMethods.SigCont);
            NativeMethods.Signal(descendant, NativeMethods.SigKill);
        }

        await PostmasterSignals.WaitGoneAsync(descendants, StopTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGSTOP: the process freezes without closing a connection.</summary>
    public void Pause()
    {
        if (Pid is { } pid)
        {
            NativeMethods.Signal(pid, NativeMethods.SigStop);
        }
    }

    /// <summary>SIGCONT; does nothing to a process that is not paused.</summary>
    public void Resume()
    {
        if (Pid is { } pid)
        {
            NativeMethods.Signal(pid, NativeMethods.SigCont);
        }
    }

    /// <summary>SIGTERM (after SIGCONT, so a paused process can act on it), SIGKILL when it has not exited within the timeout.</summary>
    public async Task StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Pid is not { } pid)
        {
            return;
        }

        NativeMethods.Signal(pid, NativeMethods.SigCont);
        NativeMethods.Signal(pid, NativeMethods.SigTerm);
        if (!await PostmasterSignals.WaitGoneAsync([pid], timeout ?? StopTimeout, cancellationToken).ConfigureAwait(false))
        {
            await KillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<int> Descendants(int pid)
    {
        var found = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in ProcessTable.Children(parent))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Stops the process (its own timeout, never a caller's token); safe twice.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        process?.Dispose();
        process = null;
    }
}
