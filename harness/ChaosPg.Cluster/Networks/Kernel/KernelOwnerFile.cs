using System.Collections.Immutable;
using System.Text.Json;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// Who owns a kernel network run: written under <see cref="Directory"/> before any namespace exists, removed after the
/// last one is gone, so a sweep can tell a live run's namespaces from a killed one's. It lives under /run, beside
/// /run/netns, whatever work root a run uses: runs with different work roots still see each other's owners.
/// </summary>
/// <param name="HarnessPid">Process id of the harness that owns the run.</param>
/// <param name="HarnessStartTime">Its start time in clock ticks since boot, to tell it from a later process with the same pid.</param>
/// <param name="RunId">The run id in the run's namespace and veth names.</param>
/// <param name="Subnet">The run's /24.</param>
/// <param name="Nodes">The nodes, in topology order.</param>
public sealed record KernelOwnerFile(int HarnessPid, long HarnessStartTime, string RunId, string Subnet, ImmutableArray<string> Nodes)
{
    /// <summary>Where owner files are kept.</summary>
    public const string Directory = "/run/chaospg/netns";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>True while the harness that wrote this file is still running.</summary>
    public bool OwnerIsAlive => ProcessTable.IsAlive(HarnessPid) && ProcessTable.StartTime(HarnessPid) == HarnessStartTime;

    /// <summary>The owner file of run <paramref name="runId"/>.</summary>
    public static string PathOf(string runId) => Path.Combine(Directory, runId + ".json");

    /// <summary>The owner file of this process for <paramref name="topology"/>.</summary>
    public static KernelOwnerFile Of(KernelTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var self = Environment.ProcessId;
        return new KernelOwnerFile(self, ProcessTable.StartTime(self) ?? 0, topology.RunId, topology.Subnet, topology.Nodes);
    }

    /// <summary>Reads run <paramref name="runId"/>'s owner file; null when there is none (or it is unreadable).</summary>
    public static KernelOwnerFile? TryRead(string runId)
    {
        try
        {
            return JsonSerializer.Deserialize<KernelOwnerFile>(File.ReadAllText(PathOf(runId)), JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes atomically, so a sweep never reads half a file.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(RunId);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, JsonOptions), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes run <paramref name="runId"/>'s owner file if it exists.</summary>
    public static void Delete(string runId) => File.Delete(PathOf(runId));
}
