using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Snapshots;

/// <summary>Saves and loads a run's <see cref="FinalState"/> as snapshots.json beside history.jsonl.</summary>
public static class FinalStateStore
{
    /// <summary>The snapshots' file name inside a run folder.</summary>
    public const string FileName = "snapshots.json";

    public static async Task SaveAsync(string path, FinalState state, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, state, CoreJsonContext.Default.FinalState, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <exception cref="JsonException">The file is not a snapshots file.</exception>
    public static Task<FinalState> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        LoadAsync(path, CoreJsonContext.Default.FinalState, cancellationToken);

    /// <summary>
    /// Loads the snapshots of the run that recorded <paramref name="history"/>, reusing the history's string for every
    /// write id it wrote: each node's rows then cost an array of references rather than another copy of every id
    /// (about 26 MB per node for half a million rows).
    /// </summary>
    /// <exception cref="JsonException">The file is not a snapshots file.</exception>
    public static Task<FinalState> LoadAsync(string path, History history, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        var options = new JsonSerializerOptions(CoreJsonContext.Default.Options);
        options.Converters.Add(new SharedWriteIdsConverter(history));
        return LoadAsync(path, (JsonTypeInfo<FinalState>)options.GetTypeInfo(typeof(FinalState)), cancellationToken);
    }

    private static async Task<FinalState> LoadAsync(string path, JsonTypeInfo<FinalState> typeInfo, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{path}: empty snapshots file");
        }
    }
}
