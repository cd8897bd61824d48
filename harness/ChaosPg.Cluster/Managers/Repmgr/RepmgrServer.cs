using System.Text;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.Common;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// One member's processes (a node's or the witness's): its PostgreSQL, started with pg_ctl as repmgr starts it (the
/// outside config, the member's environment), its repmgrd, and the repmgr commands the harness runs for it. Every
/// command's output goes to the member's repmgr log, as evidence.
/// </summary>
internal sealed class RepmgrServer
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly ServerUser user;
    private readonly PgBinaries binaries;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly Lock logLock = new();

    public RepmgrServer(RepmgrMember member, ServerUser user, PgBinaries binaries, string passFile, string logDirectory)
    {
        Member = member;
        this.user = user;
        this.binaries = binaries;
        environment = RepmgrConfig.Environment(member, passFile);
        CommandLog = Path.Combine(logDirectory, member.Name + ".repmgr.log");
        Repmgrd = new ManagedProcess(
            $"repmgrd {member.Name}",
            user,
            binaries.Tool("repmgrd"),
            ["-f", member.RepmgrConf, "--daemonize=false", "--pid-file", member.PidFile],
            Path.Combine(logDirectory, member.Name + ".repmgrd.log"),
            environment);
    }

    public RepmgrMember Member { get; }

    public ManagedProcess Repmgrd { get; }

    /// <summary>The output of every repmgr command run for this member.</summary>
    public string CommandLog { get; }

    /// <summary>The postmaster's pid, from postmaster.pid, checked against /proc; null when the server is down.</summary>
    public int? PostmasterPid =>
        PostmasterPidFile.TryRead(Member.DataDirectory) is { Pid: var pid } && ProcessTable.IsPostmasterOf(pid, Member.DataDirectory) ? pid : null;

    /// <summary>Starts the server (pg_ctl start -w, which also runs crash recovery); nothing when it runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (PostmasterPid is not null)
        {
            return;
        }

        var result = await user.RunAsync(binaries.Tool("pg_ctl"), RepmgrConfig.StartArguments(Member), environment: environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new NodeStartException($"{Member.Name}: pg_ctl start failed (exit {result.ExitCode}): {Lines(result.StandardError + result.StandardOutput)}; last lines of {Member.ServerLog}: {Tail(Member.ServerLog)}");
        }
    }

    /// <summary>Fast shutdown (SIGINT, after SIGCONT so a paused server acts on it); nothing when it is down.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (PostmasterPid is not { } pid)
        {
            return;
        }

        NativeMethods.Signal(pid, NativeMethods.SigCont);
        NativeMethods.Signal(pid, NativeMethods.SigInt);
        if (!await PostmasterSignals.WaitGoneAsync([pid], StopTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"{Member.Name}'s server did not stop within {StopTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary>Runs <c>repmgr -f repmgr.conf ARGS</c> as the server user; throws with repmgr's own lines when it fails.</summary>
    public async Task<string> RepmgrAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await user.RunAsync(binaries.Tool("repmgr"), ["-f", Member.RepmgrConf, .. arguments], environment: environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        var output = result.StandardOutput + result.StandardError;
        lock (logLock)
        {
            File.AppendAllText(CommandLog, $"$ repmgr {string.Join(' ', arguments)}  (exit {result.ExitCode}, {DateTimeOffset.UtcNow:O})\n{output}\n");
        }

        if (result.ExitCode != 0)
        {
            throw new RepmgrCommandException($"{Member.Name}: repmgr {string.Join(' ', arguments)} failed (exit {result.ExitCode}): {Lines(output)}");
        }

        return output;
    }

    /// <summary>Crash recovery without accepting a connection: single-user mode replays the WAL and shuts down cleanly.</summary>
    public async Task RecoverOfflineAsync(CancellationToken cancellationToken)
    {
        var result = await user.RunAsync(
            binaries.Tool("postgres"),
            ["--single", "-D", Member.DataDirectory, "-c", $"config_file={Member.PostgresqlConf}", "-c", "exit_on_error=on", ClusterRoles.AppDatabase],
            "SELECT 1;\n",
            environment,
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new NodeStartException($"{Member.Name}: single-user crash recovery failed (exit {result.ExitCode}): {Lines(result.StandardError)}");
        }
    }

    /// <summary>pg_controldata's "Database cluster state" of the data directory: <c>shut down</c>, <c>in production</c>, <c>in archive recovery</c>...</summary>
    public async Task<string> ControlStateAsync(CancellationToken cancellationToken)
    {
        var result = await user.RunAsync(binaries.Tool("pg_controldata"), ["-D", Member.DataDirectory], cancellationToken: cancellationToken).ConfigureAwait(false);
        const string Label = "Database cluster state:";
        return result.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(Label, StringComparison.Ordinal))?[Label.Length..].Trim()
            ?? throw new InvalidOperationException($"{Member.Name}: pg_controldata gave no cluster state: {Lines(result.StandardError)}");
    }

    /// <summary>Teardown: repmgrd and what it runs besides the server (a promote or follow) killed first, so nothing starts the server again; then the server shut down.</summary>
    public async Task TerminateAsync()
    {
        var postmaster = PostmasterPid;
        await Repmgrd.KillTreeAsync(pid => pid == postmaster || (postmaster is { } p && ProcessTable.Children(p).Contains(pid)), CancellationToken.None).ConfigureAwait(false);
        if (PostmasterPid is { } pid)
        {
            await PostmasterSignals.TerminateAsync(Member.DataDirectory, pid, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            PostmasterSignals.RemoveLeftoverSharedMemory(Member.DataDirectory);
        }

        await Repmgrd.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The lines of repmgr's output that say what went wrong (ERROR, DETAIL, HINT), or its last lines.</summary>
    internal static string Lines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("DETAIL", StringComparison.Ordinal) || l.StartsWith("HINT", StringComparison.Ordinal) || l.StartsWith("FATAL", StringComparison.Ordinal)).ToList();
        return string.Join(" | ", errors.Count > 0 ? errors : lines.TakeLast(5));
    }

    private static string Tail(string file)
    {
        try
        {
            var builder = new StringBuilder();
            foreach (var line in File.ReadLines(file).TakeLast(5))
            {
                builder.Append(line).Append(" | ");
            }

            return builder.ToString();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
