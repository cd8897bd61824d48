namespace ChaosPg.Core.Schedule;

/// <summary>A network path through a proxy: <c>client-&gt;NODE</c>, or <c>A-&gt;B</c> for A's WAL stream from B.</summary>
public sealed record Link(string From, string To)
{
    private const string Arrow = "->";

    public bool IsClientLink => From == NodeNames.Client;

    public static Link ClientTo(string node) => new(NodeNames.Client, node);

    /// <summary>Splits <c>A-&gt;B</c>; false unless both sides are non-empty and there is exactly one arrow.</summary>
    public static bool TryParse(string? text, out Link? link)
    {
        link = null;
        if (text is null)
        {
            return false;
        }

        int arrow = text.IndexOf(Arrow, StringComparison.Ordinal);
        if (arrow <= 0 || arrow + Arrow.Length >= text.Length || text.IndexOf(Arrow, arrow + 1, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        link = new Link(text[..arrow], text[(arrow + Arrow.Length)..]);
        return true;
    }

    public override string ToString() => From + Arrow + To;
}
