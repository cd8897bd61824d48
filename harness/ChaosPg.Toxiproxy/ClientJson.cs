using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;

namespace ChaosPg.Toxiproxy;

/// <summary>Reads and writes the Toxiproxy wire format for the client, ignoring unknown fields.</summary>
internal static class ClientJson
{
    public static byte[] WriteProxy(ProxyDefinition proxy) => Write(writer => WriteProxyObject(writer, proxy));

    public static byte[] WriteProxies(IEnumerable<ProxyDefinition> proxies) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var proxy in proxies)
        {
            WriteProxyObject(writer, proxy);
        }

        writer.WriteEndArray();
    });

    public static byte[] WriteProxyUpdate(ProxyUpdate update) => Write(writer =>
    {
        writer.WriteStartObject();
        if (update.Listen is not null)
        {
            writer.WriteString("listen", update.Listen);
        }

        if (update.Upstream is not null)
        {
            writer.WriteString("upstream", update.Upstream);
        }

        if (update.Enabled is { } enabled)
        {
            writer.WriteBoolean("enabled", enabled);
        }

        writer.WriteEndObject();
    });

    public static byte[] WriteToxic(Toxic toxic) => Write(writer =>
    {
        writer.WriteStartObject();
        if (toxic.Name is not null)
        {
            writer.WriteString("name", toxic.Name);
        }

        writer.WriteString("type", toxic.Type);
        writer.WriteString("stream", toxic.Stream == ToxicDirection.Upstream ? "upstream" : "downstream");
        if (toxic.Toxicity is { } toxicity)
        {
            writer.WriteNumber("toxicity", toxicity);
        }

        WriteAttributes(writer, toxic.GetAttributes());
        writer.WriteEndObject();
    });

    public static byte[] WriteToxicUpdate(ToxicUpdate update) => Write(writer =>
    {
        writer.WriteStartObject();
        WriteAttributes(writer, update.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal));
        if (update.Toxicity is { } toxicity)
        {
            writer.WriteNumber("toxicity", toxicity);
        }

        writer.WriteEndObject();
    });

    public static ToxiproxyProxy ReadProxy(JsonElement element)
    {
        var toxics = ImmutableArray<Toxic>.Empty;
        if (element.TryGetProperty("toxics", out var toxicArray) && toxicArray.ValueKind == JsonValueKind.Array)
        {
            toxics = [.. toxicArray.EnumerateArray().Select(ReadToxic)];
        }

        return new ToxiproxyProxy(
            GetString(element, "name"),
            GetString(element, "listen"),
            GetString(element, "upstream"),
            element.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.True,
            toxics);
    }

    public static ImmutableArray<ToxiproxyProxy> ReadProxyArray(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray().Select(ReadProxy)] : [];

    public static Toxic ReadToxic(JsonElement element)
    {
        var attributes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (element.TryGetProperty("attributes", out var attributeObject) && attributeObject.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in attributeObject.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var value))
                {
                    attributes[property.Name] = value;
                }
            }
        }

        var stream = string.Equals(GetString(element, "stream"), "upstream", StringComparison.OrdinalIgnoreCase)
            ? ToxicDirection.Upstream
            : ToxicDirection.Downstream;
        float? toxicity = element.TryGetProperty("toxicity", out var toxicityElement) && toxicityElement.ValueKind == JsonValueKind.Number
            ? toxicityElement.GetSingle()
            : null;
        return Toxic.Create(GetString(element, "type"), attributes) with
        {
            Name = GetString(element, "name"),
            Stream = stream,
            Toxicity = toxicity,
        };
    }

    private static string GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? string.Empty
            : string.Empty;

    private static void WriteProxyObject(Utf8JsonWriter writer, ProxyDefinition proxy)
    {
        writer.WriteStartObject();
        writer.WriteString("name", proxy.Name);
        if (proxy.Listen is not null)
        {
            writer.WriteString("listen", proxy.Listen);
        }

        writer.WriteString("upstream", proxy.Upstream);
        if (proxy.Enabled is { } enabled)
        {
            writer.WriteBoolean("enabled", enabled);
        }

        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, long>> attributes)
    {
        writer.WriteStartObject("attributes");
        foreach (var (key, value) in attributes)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
