using System.CommandLine;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// --network and --manager, for the commands that make a cluster without a scenario (<c>cluster up</c>,
/// <c>bench bringup</c>); a scenario gives them as <c>cluster.network</c> and <c>cluster.manager</c>.
/// </summary>
internal sealed class ClusterAxisOptions
{
    public Option<string> Network { get; } = Create(ClusterAxis.Network, "--network", "How links are carried and faulted");

    public Option<string> Manager { get; } = Create(ClusterAxis.Manager, "--manager", "The HA manager that decides failover (none: nobody, the harness promotes)");

    public void AddTo(Command command)
    {
        command.Options.Add(Network);
        command.Options.Add(Manager);
    }

    /// <summary>The request with the network mode and manager given (their defaults otherwise).</summary>
    public ClusterRequest Apply(ParseResult parseResult, ClusterRequest request) => request with
    {
        Network = parseResult.GetValue(Network)!,
        Manager = parseResult.GetValue(Manager)!,
    };

    // Every known name parses, so that one not built yet gets the provider's "not available yet" line, not a usage error.
    private static Option<string> Create(ClusterAxis axis, string name, string what)
    {
        var known = ClusterAxisNames.Known(axis);
        var option = new Option<string>(name)
        {
            Description = $"{what}: {string.Join(", ", ClusterProviderRegistry.Default.Available(axis))} (planned: {string.Join(", ", known.Except(ClusterProviderRegistry.Default.Available(axis)))}).",
            DefaultValueFactory = _ => known[0],
        };
        option.AcceptOnlyFromAmong([.. known]);
        return option;
    }
}
