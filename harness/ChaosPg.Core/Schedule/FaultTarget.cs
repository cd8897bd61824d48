namespace ChaosPg.Core.Schedule;

/// <summary>What a network fault hits: one link, or a node (every link of that node).</summary>
public abstract record FaultTarget
{
    /// <summary>Reads a target as written in a scenario: text with an arrow is a link, anything else a node.</summary>
    public static FaultTarget Parse(string text) =>
        Link.TryParse(text, out var link) ? new LinkTarget(link!) : new NodeTarget(text);
}
