namespace ChaosPg.Toxiproxy;

/// <summary>
/// What a Toxiproxy says it is: the version /version reports, and whether it is ChaosPg's embedded server. The
/// embedded server reports exactly the real server's version (a client gating features on it must see 2.12.0, not a
/// pre-release that sorts below it) and says what it is in a response header instead.
/// </summary>
/// <param name="Version">The version /version reported.</param>
/// <param name="ChaospgServer">The <see cref="HeaderName"/> header's value when ChaosPg's embedded server answered, else null.</param>
public sealed record ToxiproxyServerIdentity(string Version, string? ChaospgServer)
{
    /// <summary>The response header by which the embedded server identifies itself; a real Toxiproxy never sends it.</summary>
    public const string HeaderName = "X-Chaospg-Server";

    /// <summary>The header's value on the embedded server's responses.</summary>
    public const string EmbeddedValue = "embedded";

    /// <summary>True when ChaosPg's embedded server answered.</summary>
    public bool IsEmbedded => ChaospgServer is not null;

    /// <summary>The version as reports show it: <c>2.12.0</c>, or <c>2.12.0 (chaospg embedded server)</c>.</summary>
    public string Display => IsEmbedded ? $"{Version} (chaospg embedded server)" : Version;
}
