using System.Collections.Immutable;

namespace ChaosPg.Cluster.Target;

/// <summary>A node of a target file: its name, its two connections, the fault commands it offers and their placeholders.</summary>
/// <param name="Name">primary, replica1, ...: the name scenarios use (the node named primary must be the primary when the run starts).</param>
/// <param name="Client">What workload clients connect to (through the user's proxy, if any).</param>
/// <param name="Admin">What the harness connects to for schema, status and snapshots: straight to the server, a superuser.</param>
/// <param name="ApplicationName">The node's application_name in its upstream's pg_stat_replication.</param>
/// <param name="Commands">Command lines by <see cref="TargetCommands"/> name, placeholders not yet filled in.</param>
/// <param name="Variables">The values of the placeholders, e.g. container, pod; <c>node</c> is always the node's name.</param>
public sealed record TargetNodeSpec(
    string Name,
    TargetConnection Client,
    TargetConnection Admin,
    string ApplicationName,
    ImmutableDictionary<string, string> Commands,
    ImmutableDictionary<string, string> Variables)
{
    /// <summary>True when the node has the command <paramref name="name"/>.</summary>
    public bool Has(string name) => Commands.ContainsKey(name);
}
