using System.Collections.Immutable;

namespace ChaosPg.Core.Schedule;

/// <summary>
/// What a schedule may name in a cluster an HA manager runs, known before it starts: the manager's processes that are
/// no node (<c>dcs1</c>, <c>monitor</c>, <c>witness</c>) and the links each node has besides <c>client-&gt;NODE</c>, as
/// templates in which <see cref="NodePlaceholder"/> stands for the node (<c>peers-&gt;{node}</c>, <c>{node}-&gt;dcs</c>).
/// </summary>
public sealed record ManagedTopology(string Manager, ImmutableArray<string> Auxiliaries, ImmutableArray<string> NodeLinkTemplates)
{
    /// <summary>The stand-in for a node's name in <see cref="NodeLinkTemplates"/>.</summary>
    public const string NodePlaceholder = "{node}";

    /// <summary>Every link of <paramref name="node"/> (a node name or a role target): its client link, then the manager's.</summary>
    public ImmutableArray<Link> LinksOf(string node)
    {
        var links = ImmutableArray.CreateBuilder<Link>();
        links.Add(Link.ClientTo(node));
        foreach (string template in NodeLinkTemplates)
        {
            if (Link.TryParse(template.Replace(NodePlaceholder, node, StringComparison.Ordinal), out var link))
            {
                links.Add(link!);
            }
        }

        return links.ToImmutable();
    }

    public bool Equals(ManagedTopology? other) =>
        other is not null && Manager == other.Manager && Auxiliaries.SequenceEqual(other.Auxiliaries) && NodeLinkTemplates.SequenceEqual(other.NodeLinkTemplates);

    public override int GetHashCode() => HashCode.Combine(Manager, Auxiliaries.Length, NodeLinkTemplates.Length);
}
