using System.Text.Json;

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
    public static async Task<FinalState> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, CoreJsonContext.Default.FinalState, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{path}: empty snapshots file");
        }
    }
}
