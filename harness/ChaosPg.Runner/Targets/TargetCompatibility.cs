using System.Collections.Immutable;
using ChaosPg.Cluster.Target;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Targets;

/// <summary>
/// Whether a scenario can run against a target, decided before anything starts: the ownership confirmation, every
/// node the scenario names, and for each step the mechanism it needs (a node's fault command, a proxy of the
/// target's Toxiproxy), each problem one line that names the step and the key the target file lacks.
/// </summary>
public static class TargetCompatibility
{
    /// <summary>Every reason <paramref name="scenario"/> cannot run against <paramref name="target"/>; empty when it can.</summary>
    /// <param name="scenario">The scenario, already valid.</param>
    /// <param name="scenarioFile">Its file, for messages.</param>
    /// <param name="target">The target file's contents.</param>
    /// <param name="ownershipFlag">True when <c>--i-own-this-cluster</c> was given.</param>
    public static ImmutableArray<string> Check(Scenario scenario, string scenarioFile, TargetSpec target, bool ownershipFlag)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(target);
        var problems = ImmutableArray.CreateBuilder<string>();
        if (!target.OwnershipConfirmed && !ownershipFlag)
        {
            problems.Add($"{target.File}: a run against a target kills, pauses and partitions its nodes: say {TargetKeys.OwnIt}: true in the target file or pass --i-own-this-cluster");
        }

        var missingNodes = NodeNames.ForCluster(scenario.Cluster.Replicas).Where(n => target.Node(n) is null).ToList();
        if (missingNodes.Count > 0)
        {
            problems.Add($"{scenarioFile}: the scenario has {scenario.Cluster.Replicas} replica(s), but {target.File} has no node {string.Join(", ", missingNodes)} (nodes: {string.Join(", ", target.Nodes.Select(n => n.Name))}); add {string.Join(", ", missingNodes.Select(TargetKeys.Node))}");
            return problems.ToImmutable();
        }

        foreach (var planned in scenario.Plan().Entries.Where(e => e.Operation != PlannedOperation.Remove).Select(e => e.Step).DistinctBy(s => s.Index))
        {
            foreach (var missing in Missing(planned, target))
            {
                problems.Add($"{scenarioFile}: step {planned.Index + 1} ({Describe(planned.Step)}) needs {missing} in {target.File}");
            }
        }

        return problems.ToImmutable();
    }

    // The keys the step needs that the target file does not have.
    private static IEnumerable<string> Missing(PlannedStep planned, TargetSpec target)
    {
        var step = planned.Step;
        IEnumerable<string> Commands(string node, params string[] names) =>
            names.Where(name => target.Node(node)?.Has(name) != true).Select(name => TargetKeys.NodeCommand(node, name));

        return step switch
        {
            KillFault kill => Commands(kill.Node, TargetCommands.Kill, TargetCommands.Start),
            PauseFault pause => Commands(pause.Node, TargetCommands.Pause, TargetCommands.Resume),
            RestartFault restart => Commands(restart.Node, TargetCommands.Restart),
            PromoteAction promote => Commands(promote.Node, TargetCommands.Promote),
            RejoinAction rejoin => Commands(rejoin.Node, TargetCommands.Rejoin),
            FaultStep { IsNetwork: true } => Links(planned, target),
            _ => [],
        };
    }

    private static IEnumerable<string> Links(PlannedStep planned, TargetSpec target)
    {
        if (target.Toxiproxy is not { } toxiproxy)
        {
            return [$"{TargetKeys.Toxiproxy}.{TargetKeys.Url} and {TargetKeys.Toxiproxy}.{TargetKeys.Links} for {string.Join(", ", planned.Links)}"];
        }

        return planned.Links
            .Select(l => l.ToString())
            .Where(link => !toxiproxy.Links.ContainsKey(link))
            .Select(link => $"{TargetKeys.Toxiproxy}.{TargetKeys.Links}.{link}");
    }

    private static string Describe(ScheduleStep step) => step switch
    {
        FaultStep fault => $"{fault.Keyword} {fault.Target}",
        PromoteAction promote => $"promote {promote.Node}",
        RejoinAction rejoin => $"rejoin {rejoin.Node}",
        _ => step.Keyword,
    };
}
