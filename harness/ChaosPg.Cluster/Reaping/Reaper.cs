using System.Diagnostics;
using System.Globalization;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Reaping;

/// <summary>
/// The reaper side of <see cref="RunReaper"/> (<c>chaospg reap --manifest PATH</c>): waits for its standard input to
/// end, then removes what the run's reap list names: processes (by pid and start time, or by a marker in their
/// command line, with the process groups they lead), then containers and networks by label, network namespaces,
/// leftover shared memory and finally paths. Nothing is taken on trust: a process is signalled only while it is
/// still the one registered, and a second pass catches what was being started when the harness died.
/// </summary>
public static class Reaper
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ProcessExitTimeout = TimeSpan.FromSeconds(5);

    // A fork the harness had begun when it died may exec its server a moment later: look once more after this.
    // A process that survives this many SIGKILLs is stuck in the kernel; the reaper says so rather than loop.
    private const int MaxProcessPasses = 5;

    private static readonly TimeSpan SecondPassDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Reads <paramref name="input"/> until end-of-file (the harness is gone) or a <c>done</c> line (a clean teardown);
    /// after end-of-file reaps the list at <paramref name="manifestPath"/>. Deletes the list either way. Returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(string manifestPath, Stream input, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(log);
        using var reader = new StreamReader(input);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Trim() == RunReaper.DoneLine)
            {
                File.Delete(manifestPath);
                return 0;
            }
        }

        var clock = Stopwatch.StartNew();
        await Log(log, $"the harness is gone: reaping {manifestPath}").ConfigureAwait(false);
        var actions = await ReapAsync(ReapList.Read(manifestPath), cancellationToken).ConfigureAwait(false);
        foreach (var action in actions)
        {
            await Log(log, action).ConfigureAwait(false);
        }

        await Log(log, string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:0.00} s")).ConfigureAwait(false);
        File.Delete(manifestPath);
        return 0;
    }

    /// <summary>Removes what <paramref name="entries"/> name, in kind order; returns what was done, one line each.</summary>
    public static async Task<IReadOnlyList<string>> ReapAsync(IReadOnlyList<ReapEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var actions = new List<string>();
        var clock = Stopwatch.StartNew();
        var stamped = 0;

        // Each line says when its step ended, so a slow reap shows which step was slow.
        void Stamp()
        {
            for (; stamped < actions.Count; stamped++)
            {
                actions[stamped] = string.Create(CultureInfo.InvariantCulture, $"[+{clock.Elapsed.TotalSeconds:0.00} s] {actions[stamped]}");
            }
        }

        await KillProcessesAsync(entries, actions, cancellationToken).ConfigureAwait(false);
        Stamp();
        await RemoveDockerObjectsAsync(entries, actions, cancellationToken).ConfigureAwait(false);
        Stamp();
        foreach (var entry in entries.Where(e => e.Kind == ReapKind.NetworkNamespace))
        {
            await DeleteNetworkNamespaceAsync(entry, actions, cancellationToken).ConfigureAwait(false);
            Stamp();
        }

        foreach (var entry in entries.Where(e => e.Kind == ReapKind.PostgresData))
        {
            PostmasterSignals.RemoveLeftoverSharedMemory(entry.Target);
        }

        foreach (var entry in entries.Where(e => e.Kind == ReapKind.Path))
        {
            actions.Add(PathRemoval.Delete(entry.Target) ? $"deleted {entry.Target} ({entry.What})" : $"{entry.Target} was gone already ({entry.What})");
            Stamp();
        }

        return actions;
    }

    private static async Task KillProcessesAsync(IReadOnlyList<ReapEntry> entries, List<string> actions, CancellationToken cancellationToken)
    {
        var processes = entries.Where(e => e.Kind == ReapKind.Process).ToList();
        var markers = entries.Where(e => e.Kind == ReapKind.CommandLine).ToList();
        if (processes.Count == 0 && markers.Count == 0)
        {
            return;
        }

        var self = Environment.ProcessId;
        for (var pass = 0; ; pass++)
        {
            var found = new Dictionary<int, string>();
            foreach (var entry in processes)
            {
                if (entry.Pid != self && ProcessTable.IsAlive(entry.Pid) && ProcessTable.StartTime(entry.Pid) == entry.StartTime)
                {
                    found.TryAdd(entry.Pid, entry.What ?? "a process");
                }
            }

            if (markers.Count > 0)
            {
                foreach (var pid in ProcessTable.All().Where(p => p != self))
                {
                    var commandLine = ProcessTable.CommandLine(pid);
                    if (markers.FirstOrDefault(m => commandLine.Contains(m.Target, StringComparison.Ordinal)) is { } marker)
                    {
                        found.TryAdd(pid, $"{commandLine.Trim()} ({marker.What})");
                    }
                }
            }

            if (found.Count > 0 && pass == MaxProcessPasses)
            {
                actions.Add($"still alive after {MaxProcessPasses} SIGKILLs (stuck in the kernel?): {string.Join(", ", found.Select(p => $"{p.Key} {p.Value}"))}");
                return;
            }

            if (found.Count == 0)
            {
                if (pass > 0)
                {
                    actions.Add("no process of the run is left");
                    return;
                }

                await Task.Delay(SecondPassDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // What a found process forked goes with it (a postmaster's backends, each in a session of its own, which
            // would exit by themselves once they notice, unless paused), and so does a group it leads: its pid is
            // verified, so they are the run's. Groups led by anyone else (the harness's own, say) are never signalled.
            var groups = found.Keys.Where(pid => ProcessTable.ProcessGroup(pid) == pid).ToHashSet();
            var members = ProcessTable.All().Where(pid => ProcessTable.ProcessGroup(pid) is { } group && groups.Contains(group)).ToList();
            var children = found.Keys.SelectMany(ProcessTable.Children).Except(found.Keys).ToList();
            foreach (var pid in found.Keys.Concat(children))
            {
                NativeMethods.Signal(pid, NativeMethods.SigKill);
            }

            foreach (var group in groups)
            {
                NativeMethods.Signal(-group, NativeMethods.SigKill);
            }

            foreach (var (pid, what) in found.OrderBy(p => p.Key))
            {
                actions.Add(string.Create(CultureInfo.InvariantCulture, $"killed pid {pid}{(groups.Contains(pid) ? " and its process group" : string.Empty)}: {what}"));
            }

            if (children.Count > 0)
            {
                actions.Add(string.Create(CultureInfo.InvariantCulture, $"killed {children.Count} process(es) they had forked: {string.Join(' ', children.Order())}"));
            }

            await PostmasterSignals.WaitGoneAsync([.. found.Keys, .. members, .. children], ProcessExitTimeout, cancellationToken).ConfigureAwait(false);
            await Task.Delay(SecondPassDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RemoveDockerObjectsAsync(IReadOnlyList<ReapEntry> entries, List<string> actions, CancellationToken cancellationToken)
    {
        var labels = entries.Where(e => e.Kind == ReapKind.DockerLabel).Select(e => e.Target).Distinct(StringComparer.Ordinal).ToList();
        if (labels.Count == 0)
        {
            return;
        }

        try
        {
            var daemon = await DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
            using var client = DockerDaemon.CreateClient(daemon);
            // Twice: a container whose creation was in flight when the harness died may appear after the first list.
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var label in labels)
                {
                    actions.AddRange(await DockerSweeper.RemoveLabelledAsync(client, label, cancellationToken).ConfigureAwait(false));
                }

                if (pass == 0)
                {
                    await Task.Delay(SecondPassDelay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
#pragma warning disable CA1031 // The reaper logs what it could not do and goes on with the rest; the next run's sweep retries.
        catch (Exception e)
#pragma warning restore CA1031
        {
            actions.Add($"could not remove the Docker objects labelled {string.Join(", ", labels)}: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    private static async Task DeleteNetworkNamespaceAsync(ReapEntry entry, List<string> actions, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine("/run/netns", entry.Target)))
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("ip", ["netns", "delete", entry.Target], cancellationToken: cancellationToken).ConfigureAwait(false);
        actions.Add(result.ExitCode == 0
            ? $"deleted network namespace {entry.Target} ({entry.What})"
            : $"could not delete network namespace {entry.Target}: {result.StandardError.Trim()}");
    }

    private static Task Log(TextWriter log, string line) =>
        log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} reaper: {line}"));
}
