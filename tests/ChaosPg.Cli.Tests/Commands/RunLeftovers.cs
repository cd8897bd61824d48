using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>
/// What a killed run left, found from /proc without asking the harness: processes that hold a file of the run folder
/// open (servers log there, the reaper too), processes whose command line names the run's work directory, listeners on
/// the ports the node logs say they listened on, and the work directory itself.
/// </summary>
internal static partial class RunLeftovers
{
    /// <summary>One line per thing left; empty when the run is gone.</summary>
    public static IReadOnlyList<string> Find(string runFolderRoot, string? workDirectory)
    {
        var left = new List<string>();
        var self = Environment.ProcessId;
        foreach (var pid in Pids().Where(p => p != self))
        {
            var commandLine = CommandLine(pid);
            if (workDirectory is not null && commandLine.Contains(workDirectory + "/", StringComparison.Ordinal))
            {
                left.Add($"process {pid} runs from the work directory: {commandLine}");
            }
            else if (OpenFiles(pid).FirstOrDefault(f => f.StartsWith(runFolderRoot, StringComparison.Ordinal)) is { } file)
            {
                left.Add($"process {pid} holds {file} open: {commandLine}");
            }
        }

        var listening = ListeningPorts();
        foreach (var port in LoggedPorts(runFolderRoot).Where(listening.Contains))
        {
            left.Add($"something listens on 127.0.0.1:{port}, where a node of the run did");
        }

        if (workDirectory is not null && File.Exists(Path.Combine(workDirectory, "owner.json")))
        {
            left.Add($"the work directory {workDirectory} is still there");
        }

        return left;
    }

    /// <summary>The work directory of the run the harness <paramref name="harnessPid"/> owns (its owner.json names it), or null.</summary>
    public static string? WorkDirectoryOf(int harnessPid, string workRoot = "/var/tmp/chaospg")
    {
        var runs = Path.Combine(workRoot, "runs");
        if (!Directory.Exists(runs))
        {
            return null;
        }

        foreach (var run in Directory.EnumerateDirectories(runs))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(run, "owner.json"));
                if (HarnessPid().Match(text) is { Success: true } match && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == harnessPid)
                {
                    return run;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static IEnumerable<string> OpenFiles(int pid)
    {
        string[] fds;
        try
        {
            fds = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var fd in fds)
        {
            string? target = null;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            if (target is not null)
            {
                yield return target;
            }
        }
    }

    private static HashSet<int> LoggedPorts(string runFolderRoot)
    {
        var ports = new HashSet<int>();
        if (!Directory.Exists(runFolderRoot))
        {
            return ports;
        }

        foreach (var log in Directory.EnumerateFiles(runFolderRoot, "*.log", SearchOption.AllDirectories))
        {
            foreach (Match match in ListeningLine().Matches(File.ReadAllText(log)))
            {
                ports.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        return ports;
    }

    private static HashSet<int> ListeningPorts()
    {
        var ports = new HashSet<int>();
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[3] == "0A")
            {
                ports.Add(int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return ports;
    }

    [GeneratedRegex("listening on IPv4 address \"127\\.0\\.0\\.1\", port (\\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex("\"harnessPid\"\\s*:\\s*(\\d+)")]
    private static partial Regex HarnessPid();
}
