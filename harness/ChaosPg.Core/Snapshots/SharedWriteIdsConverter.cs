using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Snapshots;

/// <summary>
/// Reads a snapshot's write ids, handing back the history's own string for every id the history wrote, so the ids of
/// a million-row table are held once for the history and all node snapshots instead of once more per node. Ids no
/// operation wrote are allocated as usual. Writes plain arrays of strings.
/// </summary>
internal sealed class SharedWriteIdsConverter(History history) : JsonConverter<ImmutableArray<string>>
{
    private const int StackChars = 256;

    public override ImmutableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("writeIds must be an array of strings");
        }

        // The serializer hands a custom converter the whole array, so counting tokens first sizes the result exactly
        // (growing a builder to half a million ids left three times that in garbage per node). A token that is not a
        // string throws below, before the count matters.
        var counter = reader;
        var count = 0;
        while (counter.Read() && counter.TokenType != JsonTokenType.EndArray)
        {
            count++;
        }

        var ids = ImmutableArray.CreateBuilder<string>(count);
        Span<char> stack = stackalloc char[StackChars];
        var next = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                ids.Add(null!);
                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("writeIds must be an array of strings");
            }

            // A UTF-8 value never has more chars than bytes.
            var bytes = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            var rented = bytes > StackChars ? ArrayPool<char>.Shared.Rent(bytes) : null;
            var chars = rented ?? stack;
            var id = chars[..reader.CopyString(chars)];
            ids.Add(history.FindWriteId(id, ref next) ?? new string(id));
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        return ids.MoveToImmutable();
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var id in value)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
    }
}
