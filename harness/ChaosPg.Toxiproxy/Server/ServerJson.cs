using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>The embedded server's wire format: Toxiproxy's field order, and Go-style decoding errors.</summary>
internal static class ServerJson
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteProxy(Utf8JsonWriter writer, ProxyInstance proxy)
    {
        writer.WriteStartObject();
        writer.WriteString("name", proxy.Name);
        writer.WriteString("listen", proxy.Listen);
        writer.WriteString("upstream", proxy.Upstream);
        writer.WriteBoolean("enabled", proxy.Enabled);

        // Toxiproxy (since 2.5.0) serializes an untagged Logger field; clients must cope with it, so it is sent too.
        writer.WriteStartObject("Logger");
        writer.WriteEndObject();
        writer.WriteStartArray("toxics");
        foreach (var toxic in proxy.Toxics)
        {
            WriteToxic(writer, toxic);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteToxic(Utf8JsonWriter writer, ToxicDefinition toxic)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("attributes");
        for (var i = 0; i < toxic.Kind.Attributes.Length; i++)
        {
            writer.WriteNumber(toxic.Kind.Attributes[i], toxic.Values[i]);
        }

        writer.WriteEndObject();
        writer.WriteString("name", toxic.Name);
        writer.WriteString("type", toxic.Kind.Type);
        writer.WriteString("stream", toxic.StreamText);
        writer.WriteNumber("toxicity", toxic.Toxicity);
        writer.WriteEndObject();
    }

    /// <summary>Parses a request body, failing like Go's decoder (<c>EOF</c> for an empty body).</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ApiException.BadBody("EOF");
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            var truncated = exception.BytePositionInLine >= body.Span.TrimEnd(" \t\r\n"u8).Length - 1 && exception.LineNumber == 0;
            throw ApiException.BadBody(truncated ? "unexpected EOF" : "invalid character in JSON: " + exception.Message);
        }
    }

    public static ProxyRequest ReadProxy(JsonElement element, string goType)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadBody($"json: cannot unmarshal {GoKind(element)} into Go value of type {goType}");
        }

        return new ProxyRequest(
            ReadString(element, "name", "Proxy"),
            ReadString(element, "listen", "Proxy"),
            ReadString(element, "upstream", "Proxy"),
            ReadBool(element, "enabled", "Proxy"));
    }

    public static ToxicRequest ReadToxic(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadBody($"json: cannot unmarshal {GoKind(element)} into Go value of type toxics.ToxicWrapper");
        }

        float? toxicity = null;
        if (element.TryGetProperty("toxicity", out var toxicityElement) && toxicityElement.ValueKind != JsonValueKind.Null)
        {
            toxicity = toxicityElement.ValueKind == JsonValueKind.Number
                ? toxicityElement.GetSingle()
                : throw ApiException.BadBody($"json: cannot unmarshal {GoKind(toxicityElement)} into Go struct field ToxicWrapper.toxicity of type float32");
        }

        JsonElement? attributes = element.TryGetProperty("attributes", out var attributeElement) && attributeElement.ValueKind != JsonValueKind.Null
            ? attributeElement.Clone()
            : null;
        return new ToxicRequest(
            ReadString(element, "name", "ToxicWrapper"),
            ReadString(element, "type", "ToxicWrapper"),
            ReadString(element, "stream", "ToxicWrapper"),
            toxicity,
            attributes);
    }

    /// <summary>Decodes attributes over <paramref name="current"/>: integers only, unknown keys ignored.</summary>
    public static ImmutableArray<long> ReadAttributes(ToxicKind kind, JsonElement? attributes, ImmutableArray<long> current)
    {
        var values = current.ToBuilder();
        if (attributes is not { } element)
        {
            return values.ToImmutable();
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadBody($"json: cannot unmarshal {GoKind(element)} into Go struct field ToxicWrapper.attributes of type toxics.{kind.GoStruct}");
        }

        foreach (var property in element.EnumerateObject())
        {
            var index = kind.IndexOf(property.Name);
            if (index < 0 || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var value))
            {
                var what = property.Value.ValueKind == JsonValueKind.Number ? "number " + property.Value.GetRawText() : GoKind(property.Value);
                throw ApiException.BadBody($"json: cannot unmarshal {what} into Go struct field {kind.GoStruct}.attributes.{property.Name} of type {kind.AttributeGoType}");
            }

            values[index] = value;
        }

        return values.ToImmutable();
    }

    /// <summary>Toxiproxy's error body: <c>{"error":...,"status":...}</c> and a newline, as Go's http.Error writes it.</summary>
    public static byte[] ErrorBody(string message, int status) =>
    [
        .. Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteNumber("status", status);
            writer.WriteEndObject();
        }),
        (byte)'\n',
    ];

    private static string? ReadString(JsonElement element, string name, string goStruct)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ApiException.BadBody($"json: cannot unmarshal {GoKind(value)} into Go struct field {goStruct}.{name} of type string");
    }

    private static bool? ReadBool(JsonElement element, string name, string goStruct)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiException.BadBody($"json: cannot unmarshal {GoKind(value)} into Go struct field {goStruct}.{name} of type bool"),
        };
    }

    private static string GoKind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => element.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
