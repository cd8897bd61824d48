using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// Removes what kernel network runs whose harness died (SIGKILL, crash) left behind: namespaces named
/// <c>cpg-&lt;run&gt;-*</c> and root-namespace veth ends <c>cpg&lt;run&gt;h</c> whose run has no live owner. Only names
/// of exactly that form are ever touched; any other namespace or interface is left alone.
/// </summary>
public static partial class KernelSweeper
{
    /// <summary>
    /// What to delete, from the namespaces and root interfaces there are and whether each run's owner lives: the dead
    /// runs' ids and the commands (root veth ends first, then namespaces, bridge namespaces last). Pure.
    /// </summary>
    public static (ImmutableArray<string> RunIds, ImmutableArray<KernelCommand> Commands) Plan(
        IEnumerable<string> namespaces, IEnumerable<string> rootInterfaces, Func<string, bool> ownerIsAlive)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(rootInterfaces);
        ArgumentNullException.ThrowIfNull(ownerIsAlive);
        var alive = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool Dead(string runId)
        {
            if (!alive.TryGetValue(runId, out var live))
            {
                live = ownerIsAlive(runId);
                alive[runId] = live;
            }

            return !live;
        }

        var deadNamespaces = namespaces.Select(ns => (Name: ns, Match: NamespaceName().Match(ns)))
            .Where(x => x.Match.Success && Dead(x.Match.Groups[1].Value))
            .Select(x => (x.Name, RunId: x.Match.Groups[1].Value))
            .Distinct()
            .OrderBy(x => x.Name.EndsWith("-br", StringComparison.Ordinal))
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
        var deadInterfaces = rootInterfaces.Select(name => (Name: name, Match: HostInterfaceName().Match(name)))
            .Where(x => x.Match.Success && Dead(x.Match.Groups[1].Value))
            .Select(x => (x.Name, RunId: x.Match.Groups[1].Value))
            .Distinct()
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
        ImmutableArray<KernelCommand> commands =
        [
            .. deadInterfaces.Select(x => new KernelCommand(null, ["ip", "link", "del", x.Name], MayFail: true)),
            .. deadNamespaces.Select(x => new KernelCommand(null, ["ip", "netns", "del", x.Name], MayFail: true)),
        ];
        ImmutableArray<string> runIds = [.. deadNamespaces.Select(x => x.RunId).Concat(deadInterfaces.Select(x => x.RunId)).Distinct().Order(StringComparer.Ordinal)];
        return (runIds, commands);
    }

    /// <summary>The namespace names in <c>ip netns list</c> output ("name" or "name (id: N)" per line).</summary>
    public static ImmutableArray<string> ParseNamespaces(string ipNetnsList)
    {
        ArgumentNullException.ThrowIfNull(ipNetnsList);
        return [.. ipNetnsList.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line.Split(' ')[0])];
    }

    /// <summary>The interface names in <c>ip -o link show</c> output ("3: name@peer: &lt;...&gt;" per line).</summary>
    public static ImmutableArray<string> ParseInterfaces(string ipLinkShow)
    {
        ArgumentNullException.ThrowIfNull(ipLinkShow);
        return [.. ipLinkShow.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length >= 2)
            .Select(parts => parts[1].Trim().Split('@')[0])];
    }

    /// <summary>Sweeps this machine: every kernel run without a live owner; returns the run ids removed.</summary>
    public static async Task<ImmutableArray<string>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var namespaces = await ProcessRunner.RunAsync("ip", ["netns", "list"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var links = await ProcessRunner.RunAsync("ip", ["-o", "link", "show"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var (runIds, commands) = Plan(
            ParseNamespaces(namespaces.StandardOutput),
            ParseInterfaces(links.StandardOutput),
            runId => KernelOwnerFile.TryRead(runId)?.OwnerIsAlive ?? false);
        await KernelShell.RunAsync(commands, cancellationToken).ConfigureAwait(false);
        foreach (var runId in runIds)
        {
            KernelOwnerFile.Delete(runId);
        }

        return runIds;
    }

    [GeneratedRegex("^cpg-([0-9a-f]{8})-[a-z0-9]+$")]
    private static partial Regex NamespaceName();

    [GeneratedRegex("^cpg([0-9a-f]{8})h$")]
    private static partial Regex HostInterfaceName();
}
