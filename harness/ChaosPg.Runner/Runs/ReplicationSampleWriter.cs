using System.Buffers;
using System.Text.Json;

namespace ChaosPg.Runner.Runs;

/// <summary>
/// Appends <see cref="ReplicationSample"/> lines to <c>replication.jsonl</c>, one unbuffered write per line so a killed
/// harness keeps every sample it took. Thread-safe.
/// </summary>
public sealed class ReplicationSampleWriter : IAsyncDisposable, IDisposable
{
    private static readonly JsonSerializerOptions LineOptions = new(RunsJsonContext.Default.Options) { WriteIndented = false };
    private static readonly RunsJsonContext LineContext = new(LineOptions);

    private readonly Lock gate = new();
    private readonly FileStream stream;
    private readonly ArrayBufferWriter<byte> buffer = new(256);
    private readonly Utf8JsonWriter json;
    private bool disposed;

    private ReplicationSampleWriter(FileStream stream)
    {
        this.stream = stream;
        json = new Utf8JsonWriter(buffer);
    }

    /// <summary>Creates (or truncates) the samples file at <paramref name="path"/>.</summary>
    public static ReplicationSampleWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0));

    public void Append(ReplicationSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            buffer.ResetWrittenCount();
            json.Reset();
            JsonSerializer.Serialize(json, sample, LineContext.ReplicationSample);
            json.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            stream.Write(buffer.WrittenSpan);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            json.Dispose();
            stream.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
