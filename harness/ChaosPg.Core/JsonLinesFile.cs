using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ChaosPg.Core;

/// <summary>
/// A JSON-lines file written one unbuffered write per line, so a SIGKILLed harness keeps every line it wrote.
/// Thread-safe; disposing twice is harmless. Shared by the history and the replication samples.
/// </summary>
public sealed class JsonLinesFile<T> : IDisposable
{
    private readonly Lock gate = new();
    private readonly FileStream stream;
    private readonly JsonTypeInfo<T> typeInfo;
    private readonly ArrayBufferWriter<byte> buffer = new(512);
    private readonly Utf8JsonWriter json;
    private bool disposed;

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>; <paramref name="typeInfo"/> must write a single line.</summary>
    public JsonLinesFile(string path, JsonTypeInfo<T> typeInfo)
    {
        stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        this.typeInfo = typeInfo;
        json = new Utf8JsonWriter(buffer);
    }

    /// <summary>Writes <paramref name="value"/> as one line; it reaches the OS before this returns.</summary>
    public void Append(T value)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            buffer.ResetWrittenCount();
            json.Reset();
            JsonSerializer.Serialize(json, value, typeInfo);
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
}
