using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>Writes and reads a micro-op as a compact JSON array: <c>["append",3,17]</c>, <c>["r",3,[1,2]]</c>, <c>["r",3,null]</c>.</summary>
public sealed class MicroOpJsonConverter : JsonConverter<MicroOp>
{
    public override MicroOp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        long[]? values = null;
        return ReadMicroOp(ref reader, ref values);
    }

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

    /// <summary>
    /// Reads one micro-op (the reader is on its StartArray and is left on its EndArray), collecting a read's values in <paramref name="values"/>, a scratch array the caller keeps
    /// from one call to the next (grown here): each list then costs one array of its exact size.
    /// </summary>
    internal static MicroOp ReadMicroOp(ref Utf8JsonReader reader, ref long[]? values)
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
            values ??= new long[16];
            var count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                if (count == values.Length)
                {
                    Array.Resize(ref values, count * 2);
                }

                values[count++] = reader.GetInt64();
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("a read's values must be numbers");
            }

            op = MicroOp.Read(key, ImmutableArray.Create(values.AsSpan(0, count)));
        }
        else
        {
            throw new JsonException("a read's values must be an array or null");
        }

        Next(ref reader, JsonTokenType.EndArray);
        return op;
    }

    /// <summary>
    /// Reads a transaction: an array of micro-ops, or null. The reader is on its first token. <paramref name="ops"/>
    /// and <paramref name="values"/> are scratch arrays the caller keeps between calls, so the result is one array of
    /// its exact size (and one per read's list) rather than a builder and its growth per line.
    /// </summary>
    internal static ImmutableArray<MicroOp> ReadTransaction(ref Utf8JsonReader reader, ref MicroOp[]? ops, ref long[]? values)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("txn must be an array of micro-ops");
        }

        ops ??= new MicroOp[8];
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            if (count == ops.Length)
            {
                Array.Resize(ref ops, count * 2);
            }

            ops[count++] = ReadMicroOp(ref reader, ref values);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("txn must be an array of micro-ops");
        }

        return ImmutableArray.Create(ops.AsSpan(0, count));
    }

    private static void Next(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            throw new JsonException($"micro-op: expected {expected}");
        }
    }
}
