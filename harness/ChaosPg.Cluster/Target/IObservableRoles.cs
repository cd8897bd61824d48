using System.Collections.Immutable;

namespace ChaosPg.Cluster.Target;

/// <summary>A cluster whose roles someone else may change (a target): the run polls it and records what it sees.</summary>
public interface IObservableRoles
{
    /// <summary>
    /// Asks every node whether it is in recovery and on which timeline; a node that became primary without the
    /// harness (or a primary that stepped down) is returned and becomes the cluster's primary. Nodes that do not answer are skipped.
    /// </summary>
    Task<ImmutableArray<ObservedRoleChange>> ObserveRolesAsync(CancellationToken cancellationToken = default);
}
