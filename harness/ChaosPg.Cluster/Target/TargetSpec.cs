using System.Collections.Immutable;

namespace ChaosPg.Cluster.Target;

/// <summary>
/// A cluster ChaosPg did not start, as a target file describes it (docs/targets.md): its nodes, the user's Toxiproxy
/// in front of them, the HA manager's REST endpoint and whether the file says the user owns the cluster.
/// </summary>
/// <param name="File">The file it was read from, for messages.</param>
/// <param name="Nodes">Every node, primary first.</param>
/// <param name="Toxiproxy">The user's Toxiproxy, or null when the target has none (then no link fault is possible).</param>
/// <param name="ManagerRest">The HA manager's REST endpoint (Patroni's, say), recorded in the run's notes; null without one.</param>
/// <param name="SchemaPrefix">The workload schema's name starts with this; each run adds its own suffix.</param>
/// <param name="OwnershipConfirmed">The file says <c>i-own-this-cluster: true</c>.</param>
public sealed record TargetSpec(
    string File,
    ImmutableArray<TargetNodeSpec> Nodes,
    TargetToxiproxy? Toxiproxy,
    Uri? ManagerRest,
    string SchemaPrefix,
    bool OwnershipConfirmed)
{
    /// <summary>The default <see cref="SchemaPrefix"/>.</summary>
    public const string DefaultSchemaPrefix = "chaospg_run";

    /// <summary>The SHA-256 of the file's text as it was read (lower-case hex), which a replay checks; null for a spec built in code.</summary>
    public string? ContentSha256 { get; init; }

    /// <summary>The node named <paramref name="name"/>, or null.</summary>
    public TargetNodeSpec? Node(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}
