using System.Collections.Immutable;

namespace ChaosPg.Core.Snapshots;

/// <summary>Every node's snapshot at the end of a run and the name of the node the harness considers the primary.</summary>
/// <param name="FinalPrimary">The node that should hold every acknowledged write (the last promoted, or the original).</param>
/// <param name="AtMicros">When the snapshots were taken, on the history's clock.</param>
public sealed record FinalState(string FinalPrimary, long AtMicros, ImmutableArray<NodeSnapshot> Nodes)
{
    /// <summary>The snapshot of <paramref name="node"/>, or null when none was taken.</summary>
    public NodeSnapshot? Find(string node)
    {
        foreach (var snapshot in Nodes)
        {
            if (string.Equals(snapshot.Node, node, StringComparison.Ordinal))
            {
                return snapshot;
            }
        }

        return null;
    }
}
