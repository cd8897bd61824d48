using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChaosPg.Core;

/// <summary>Reads and writes an <see cref="Lsn"/> as its "X/Y" text.</summary>
public sealed class LsnJsonConverter : JsonConverter<Lsn>
{
    public override Lsn Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Lsn.TryParse(text, out var lsn) ? lsn : throw new JsonException($"'{text}' is not an LSN (expected hex 'X/Y').");
    }

    public override void Write(Utf8JsonWriter writer, Lsn value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
