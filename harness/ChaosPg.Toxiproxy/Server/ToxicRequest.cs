using System.Text.Json;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>The toxic fields a request sent; null when left out. Attributes stay raw until the type is known.</summary>
internal sealed record ToxicRequest(string? Name, string? Type, string? Stream, float? Toxicity, JsonElement? Attributes);
