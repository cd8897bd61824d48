namespace ChaosPg.Cluster.Local;

/// <summary>Signals to a postmaster and its children, and waiting for them to be gone.</summary>
internal static class PostmasterSignals
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Signals the postmaster first, so it forks nothing new, then its children.</summary>
    public static void SignalAll(int postmasterPid, int signal)
    {
        var children = ProcessTable.Children(postmasterPid);
        NativeMethods.Signal(postmasterPid, signal);
        foreach (var child in children)
        {
            NativeMethods.Signal(child, signal);
        }
    }

    /// <summary>SIGKILL of a postmaster; returns once it and every process it forked are gone.</summary>
    public static async Task KillAsync(int postmasterPid, CancellationToken cancellationToken = default)
    {
        var children = ProcessTable.Children(postmasterPid);
        NativeMethods.Signal(postmasterPid, NativeMethods.SigKill);
        // A paused backend would never notice its postmaster died.
        foreach (var child in children)
        {
            NativeMethods.Signal(child, NativeMethods.SigCont);
        }

        if (!await WaitGoneAsync([postmasterPid, .. children], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
        {
            foreach (var child in children)
            {
                NativeMethods.Signal(child, NativeMethods.SigKill);
            }

            await WaitGoneAsync(children, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until none of <paramref name="pids"/> is alive; false when the deadline passes first.</summary>
    public static async Task<bool> WaitGoneAsync(IReadOnlyCollection<int> pids, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (pids.Any(ProcessTable.IsAlive))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Immediate shutdown (SIGQUIT) of a postmaster and everything it forked, resuming paused processes first;
    /// SIGKILL when it does not finish within the deadline. Then removes the SysV segment a crash leaves behind.
    /// </summary>
    public static async Task TerminateAsync(string dataDirectory, int postmasterPid, CancellationToken cancellationToken = default)
    {
        var all = ProcessTable.Children(postmasterPid).Append(postmasterPid).ToList();
        if (all.Any(ProcessTable.IsAlive))
        {
            foreach (var pid in all)
            {
                NativeMethods.Signal(pid, NativeMethods.SigCont);
            }

            NativeMethods.Signal(postmasterPid, NativeMethods.SigQuit);
            if (!await WaitGoneAsync(all, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
            {
                foreach (var pid in all)
                {
                    NativeMethods.Signal(pid, NativeMethods.SigKill);
                }

                await WaitGoneAsync(all, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            }
        }

        RemoveLeftoverSharedMemory(dataDirectory);
    }

    /// <summary>Removes the SysV segment named in postmaster.pid when its postmaster is dead (SIGKILL leaves it behind).</summary>
    public static void RemoveLeftoverSharedMemory(string dataDirectory)
    {
        if (PostmasterPidFile.TryRead(dataDirectory) is { SharedMemoryId: { } shmId } pidFile && !ProcessTable.IsAlive(pidFile.Pid))
        {
            NativeMethods.RemoveSharedMemory(shmId);
        }
    }
}
