using System.Collections.Immutable;
using System.Diagnostics;

namespace ChaosPg.Cluster.Reaping;

/// <summary>
/// The harness side of a run's reaper (what Testcontainers' Ryuk does for containers): a <c>chaospg reap</c> process
/// in a session of its own whose standard input is a pipe only this process holds the write end of. The run
/// registers everything it starts in the <see cref="List"/>; when this process dies, however it dies, the kernel
/// closes the pipe, and the reaper reads end-of-file, removes what the list names and exits. A clean teardown says
/// <c>done</c> first, and the reaper exits without touching anything.
/// </summary>
public sealed class RunReaper : IAsyncDisposable
{
    /// <summary>Where reap lists live when the caller names no directory.</summary>
    public const string DefaultDirectory = "/var/tmp/chaospg/reap";

    /// <summary>The line a clean teardown writes before closing the pipe.</summary>
    internal const string DoneLine = "done";

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);
    private readonly Process? process;
    private readonly string? logFile;
    private int released;

    private RunReaper(ReapList list, Process? process, string? logFile)
    {
        List = list;
        this.process = process;
        this.logFile = logFile;
    }

    /// <summary>
    /// The command that runs the reaper (executable and leading arguments; <c>--manifest PATH</c> is appended), set by
    /// the <c>chaospg</c> command for its own process (<see cref="CommandFor"/>). Empty (a library host, a test run):
    /// no reaper process starts, and leftovers wait for the next run's sweep as before.
    /// </summary>
    public static ImmutableArray<string> Command { get; set; } = [];

    /// <summary>The run's reap list.</summary>
    public ReapList List { get; }

    /// <summary>The reaper's pid, or null when no reaper process was started.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>
    /// The command that re-executes the current program with <paramref name="subcommand"/>: the program itself when it
    /// runs from its own executable (the installed tool, a published build, <c>dotnet run</c>'s apphost), or the dotnet
    /// host with the program's assembly (<c>dotnet chaospg.dll</c>); empty for any other host (a test runner).
    /// </summary>
    public static ImmutableArray<string> CommandFor(string? processPath, string assemblyPath, string subcommand)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        if (string.IsNullOrEmpty(processPath))
        {
            return [];
        }

        var host = System.IO.Path.GetFileNameWithoutExtension(processPath);
        return host == System.IO.Path.GetFileNameWithoutExtension(assemblyPath) ? [processPath, subcommand]
            : host == "dotnet" ? [processPath, assemblyPath, subcommand]
            : [];
    }

    /// <summary>
    /// Creates the reap list <c>&lt;directory&gt;/&lt;runId&gt;.jsonl</c> and starts the reaper (when <see cref="Command"/>
    /// is set), logging to <paramref name="logFile"/>. It does not wait for the reaper to be ready: a harness killed
    /// before the reaper reads its pipe still leaves it end-of-file, and its list, to find.
    /// </summary>
    public static RunReaper Start(string directory, string runId, string? logFile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var list = new ReapList(System.IO.Path.Combine(directory, runId + ".jsonl"));
        var command = Command;
        if (command.IsDefaultOrEmpty)
        {
            return new RunReaper(list, null, null);
        }

        if (logFile is not null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(logFile)!);
        }

        // setsid: a session of its own, so neither a Ctrl-C at the terminal nor a kill of the harness's process group
        // reaches it. Its output goes to a file, never to a pipe of the harness, which would break when the harness dies.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, WorkingDirectory = "/" };
        foreach (var argument in (IEnumerable<string>)["-c", "log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1", "sh", logFile ?? "/dev/null", .. command, "--manifest", list.Path])
        {
            start.ArgumentList.Add(argument);
        }

        // The reaper runs a few hundred lines once: tiered JIT starts it sooner than the CLI's full JIT would.
        start.Environment["DOTNET_TieredCompilation"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the reaper {command[0]}");
        return new RunReaper(list, process, logFile);
    }

    /// <summary>Registers something the run started (null, a process already gone, is ignored).</summary>
    public void Add(ReapEntry? entry) => List.Add(entry);

    /// <summary>
    /// Ends the reaper: with <paramref name="reap"/> false (the run tore everything down) it exits without touching
    /// anything; with true (teardown failed) it reaps what the list names now, as after a crash. Waits for it to exit.
    /// </summary>
    public async Task ReleaseAsync(bool reap)
    {
        if (Interlocked.Exchange(ref released, 1) == 1)
        {
            return;
        }

        if (process is null)
        {
            File.Delete(List.Path);
            return;
        }

        using (process)
        {
            try
            {
                if (!reap)
                {
                    await process.StandardInput.WriteLineAsync(DoneLine).ConfigureAwait(false);
                    await process.StandardInput.FlushAsync().ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The reaper is gone already (killed, or it failed to start): nothing listens on the pipe.
            }

            // Its own deadline: teardown never uses a caller's token, which may already be cancelled.
            using var timeout = new CancellationTokenSource(ExitTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Still reaping: it finishes on its own, in its own session.
            }
        }

        // A reaper told "done" writes nothing: an empty log would only clutter the run folder.
        if (logFile is not null && new FileInfo(logFile) is { Exists: true, Length: 0 })
        {
            File.Delete(logFile);
        }
    }

    /// <summary>The run tore everything down: the reaper exits without reaping.</summary>
    public ValueTask DisposeAsync() => new(ReleaseAsync(reap: false));
}
