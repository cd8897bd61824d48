using System.Text.Json;
using ChaosPg.Core;

namespace ChaosPg.Runner.Runs;

/// <summary>
/// Appends <see cref="ReplicationSample"/> lines to <c>replication.jsonl</c>, one unbuffered write per line so a killed
/// harness keeps every sample it took. Thread-safe.
/// </summary>
public sealed class ReplicationSampleWriter : IAsyncDisposable, IDisposable
{
    private static readonly RunsJsonContext LineContext = new(new JsonSerializerOptions(RunsJsonContext.Default.Options) { WriteIndented = false });

    private readonly JsonLinesFile<ReplicationSample> file;

    private ReplicationSampleWriter(JsonLinesFile<ReplicationSample> file) => this.file = file;

    /// <summary>Creates (or truncates) the samples file at <paramref name="path"/>.</summary>
    public static ReplicationSampleWriter Create(string path) =>
        new(new JsonLinesFile<ReplicationSample>(path, LineContext.ReplicationSample));

    public void Append(ReplicationSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        file.Append(sample);
    }

    public void Dispose() => file.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
