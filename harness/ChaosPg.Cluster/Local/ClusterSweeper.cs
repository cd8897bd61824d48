using ChaosPg.Cluster.Reaping;

namespace ChaosPg.Cluster.Local;

/// <summary>Finds runs whose harness died (SIGKILL, crash) and whose reaper is gone too, and removes their processes and directories.</summary>
public static class ClusterSweeper
{
    /// <summary>Sweeps every run under <paramref name="workRoot"/> whose owner is dead; returns the run directories removed.</summary>
    public static async Task<IReadOnlyList<string>> SweepAsync(string workRoot, CancellationToken cancellationToken = default)
    {
        var runs = Path.Combine(workRoot, "runs");
        if (!Directory.Exists(runs))
        {
            return [];
        }

        var removed = new List<string>();
        foreach (var runDirectory in Directory.GetDirectories(runs))
        {
            var owner = RunOwnerFile.TryRead(Path.Combine(runDirectory, RunOwnerFile.FileName));
            // A run whose reaper lives is being reaped (or its harness lives): two deleting one tree only slow each other.
            if (owner is null || owner.OwnerIsAlive || owner.ReaperIsAlive)
            {
                continue;
            }

            // A manager's processes first, so no Patroni restarts a server the sweep is stopping.
            foreach (var process in owner.Processes.IsDefault ? [] : owner.Processes)
            {
                if (ProcessTable.IsAlive(process.Pid) && ProcessTable.StartTime(process.Pid) == process.StartTime)
                {
                    NativeMethods.Signal(process.Pid, NativeMethods.SigCont);
                    NativeMethods.Signal(process.Pid, NativeMethods.SigKill);
                }
            }

            foreach (var node in owner.Nodes)
            {
                foreach (var pid in new[] { node.PostmasterPid, PostmasterPidFile.TryRead(node.DataDirectory)?.Pid }.OfType<int>().Distinct())
                {
                    // A pid may have been reused since: only a postgres serving this very data directory is ours.
                    if (ProcessTable.IsPostmasterOf(pid, node.DataDirectory))
                    {
                        await PostmasterSignals.TerminateAsync(node.DataDirectory, pid, cancellationToken).ConfigureAwait(false);
                    }
                }

                PostmasterSignals.RemoveLeftoverSharedMemory(node.DataDirectory);
            }

            // The run's reaper may be deleting it at the same moment.
            if (PathRemoval.Delete(runDirectory))
            {
                removed.Add(runDirectory);
            }
        }

        return removed;
    }
}
