using System.Diagnostics;
using System.Globalization;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>What the kernel network mode needs from this machine: privileges, the tools, and whether tc netem works.</summary>
public static class KernelProbe
{
    private const int CapNetAdmin = 12;
    private const int CapSysAdmin = 21;
    private static readonly Lazy<bool> Netem = new(ProbeNetem);

    /// <summary>The commands the mode runs, each looked up on PATH.</summary>
    public static IReadOnlyList<string> Tools { get; } = ["ip", "iptables", "tc", "nsenter"];

    /// <summary>
    /// True when this process may make namespaces and firewall rules: root, or CAP_NET_ADMIN with CAP_SYS_ADMIN
    /// (setns and mounting /run/netns need the latter).
    /// </summary>
    public static bool IsPrivileged => Environment.IsPrivilegedProcess || (HasCapability(CapNetAdmin) && HasCapability(CapSysAdmin));

    /// <summary>The first missing tool, or null when all are on PATH.</summary>
    public static string? MissingTool() => Tools.FirstOrDefault(tool => Which(tool) is null);

    /// <summary>
    /// True when tc can add a netem qdisc here, tried once per process in a scratch namespace of its own (this
    /// machine's kernel has no sch_netem, so latency is a validation error in a kernel scenario). False without privileges.
    /// </summary>
    public static bool NetemAvailable => Netem.Value;

    /// <summary>Where <paramref name="tool"/> is on PATH, or null.</summary>
    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static bool HasCapability(int bit)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
                && (mask & (1UL << bit)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool ProbeNetem()
    {
        if (!IsPrivileged || MissingTool() is not null)
        {
            return false;
        }

        // Not of the cpg-<run>- form, so no sweep ever takes it for a run's; removed before returning.
        var scratch = $"cpgprobe-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        try
        {
            return Run("ip", "netns", "add", scratch) == 0
                && Run("ip", "netns", "exec", scratch, "ip", "link", "set", "lo", "up") == 0
                && Run("ip", "netns", "exec", scratch, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms") == 0;
        }
        finally
        {
            Run("ip", "netns", "del", scratch);
        }
    }

    private static int Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return -1;
            }

            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
