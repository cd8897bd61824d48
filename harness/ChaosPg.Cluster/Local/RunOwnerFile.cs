using System.Collections.Immutable;
using System.Text.Json;

namespace ChaosPg.Cluster.Local;

/// <summary>owner.json of a run: who owns it and what it started, so a sweep can clean up after a killed harness.</summary>
/// <param name="HarnessPid">Process id of the harness that owns the run.</param>
/// <param name="HarnessStartTime">Its start time in clock ticks since boot, to tell it from a later process with the same pid.</param>
/// <param name="WorkDirectory">The run's work directory (data directories, passfile).</param>
/// <param name="Nodes">Nodes with their data directories and last known postmaster pids.</param>
/// <param name="ReaperPid">The run's reaper process, if it has one: while it lives, it and not a sweep cleans up after a dead harness.</param>
/// <param name="ReaperStartTime">The reaper's start time, as for the harness.</param>
public sealed record RunOwnerFile(int HarnessPid, long HarnessStartTime, string WorkDirectory, ImmutableArray<RunOwnerNode> Nodes, int? ReaperPid = null, long? ReaperStartTime = null)
{
    public const string FileName = "owner.json";

    /// <summary>Other processes the run started (a manager's etcd and Patroni), killed by a sweep when still alive.</summary>
    public ImmutableArray<RunOwnerProcess> Processes { get; init; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>True while the harness that wrote this file is still running.</summary>
    public bool OwnerIsAlive => ProcessTable.IsAlive(HarnessPid) && ProcessTable.StartTime(HarnessPid) == HarnessStartTime;

    /// <summary>True while the run's reaper runs: after the harness died it is reaping the run, and a sweep must not race it.</summary>
    public bool ReaperIsAlive => ReaperPid is { } pid && ProcessTable.IsAlive(pid) && ProcessTable.StartTime(pid) == ReaperStartTime;

    public static RunOwnerFile? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunOwnerFile>(File.ReadAllText(path), JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes atomically, so a sweep never reads half a file.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, JsonOptions), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
