using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>Writes and reads a micro-op as a compact JSON array: <c>["append",3,17]</c>, <c>["r",3,[1,2]]</c>, <c>["r",3,null]</c>.</summary>
public sealed class MicroOpJsonConverter : JsonConverter<MicroOp>
{
    public override MicroOp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadMicroOp(ref reader);

    public override void Write(Utf8JsonWriter writer, MicroOp value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        if (value.Kind == MicroOpKind.Append)
        {
            writer.WriteStringValue("append"u8);
            writer.WriteNumberValue(value.Key);
            writer.WriteNumberValue(value.Value);
        }
        else
        {
            writer.WriteStringValue("r"u8);
            writer.WriteNumberValue(value.Key);
            if (value.Values.IsDefault)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStartArray();
                foreach (var v in value.Values)
                {
                    writer.WriteNumberValue(v);
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads one micro-op; the reader is on its StartArray and is left on its EndArray.</summary>
    internal static MicroOp ReadMicroOp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("a micro-op must be an array");
        }

        Next(ref reader, JsonTokenType.String);
        var append = reader.ValueTextEquals("append"u8);
        if (!append && !reader.ValueTextEquals("r"u8))
        {
            throw new JsonException("a micro-op is \"append\" or \"r\", not " + reader.GetString());
        }

        Next(ref reader, JsonTokenType.Number);
        var key = reader.GetInt64();
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of micro-op");
        }

        MicroOp op;
        if (append)
        {
            op = reader.TokenType == JsonTokenType.Number ? MicroOp.Append(key, reader.GetInt64()) : throw new JsonException("an append needs a number");
        }
        else if (reader.TokenType == JsonTokenType.Null)
        {
            op = MicroOp.Read(key);
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            var values = ImmutableArray.CreateBuilder<long>();
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                values.Add(reader.GetInt64());
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("a read's values must be numbers");
            }

            op = MicroOp.Read(key, values.DrainToImmutable());
        }
        else
        {
            throw new JsonException("a read's values must be an array or null");
        }

        Next(ref reader, JsonTokenType.EndArray);
        return op;
    }

    /// <summary>Reads a transaction: an array of micro-ops, or null. The reader is on its first token.</summary>
    internal static ImmutableArray<MicroOp> ReadTransaction(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("txn must be an array of micro-ops");
        }

        var ops = ImmutableArray.CreateBuilder<MicroOp>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            ops.Add(ReadMicroOp(ref reader));
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("txn must be an array of micro-ops");
        }

        return ops.DrainToImmutable();
    }

    private static void Next(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            throw new JsonException($"micro-op: expected {expected}");
        }
    }
}
