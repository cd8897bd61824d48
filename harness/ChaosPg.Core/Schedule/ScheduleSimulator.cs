using System.Collections.Immutable;

namespace ChaosPg.Core.Schedule;

/// <summary>
/// Plays a schedule through a simulated topology before anything runs: checks that every target exists when its step
/// comes (promote and rejoin change which WAL links exist), that steps are in order and inside the duration, that no
/// two steps contradict each other, and produces the <see cref="SchedulePlan"/> an executor follows. In a cluster an HA
/// manager runs (<see cref="ManagedTopology"/>) the manager owns the roles: there are no WAL links of the schedule's
/// making, role targets (<c>leader</c>, <c>replica</c>) are resolved when the step runs, the manager's own processes
/// can be killed or paused, promote and rejoin are the manager's, and heal starts the agents the schedule killed.
/// </summary>
public sealed class ScheduleSimulator
{
    private readonly Dictionary<string, SimulatedNode> nodes = new(StringComparer.Ordinal);
    private readonly List<ActiveFault> active = [];
    private readonly ImmutableArray<PlannedEntry>.Builder entries = ImmutableArray.CreateBuilder<PlannedEntry>();
    private readonly ImmutableArray<ScheduleIssue>.Builder issues = ImmutableArray.CreateBuilder<ScheduleIssue>();
    private readonly Dictionary<string, SimulatedNode> auxiliaries = new(StringComparer.Ordinal);
    private readonly TimeSpan duration;
    private readonly ManagedTopology? managed;
    private string currentPrimary = NodeNames.Primary;
    private int stepIndex;
    private bool stepFailed;

    private ScheduleSimulator(int replicas, TimeSpan duration, ManagedTopology? managed)
    {
        this.duration = duration;
        this.managed = managed;
        foreach (string name in managed?.Auxiliaries ?? [])
        {
            auxiliaries[name] = new SimulatedNode(name, NodeRole.Replica, null);
        }

        foreach (string name in NodeNames.ForCluster(replicas))
        {
            nodes[name] = name == NodeNames.Primary
                ? new SimulatedNode(name, NodeRole.Primary, null)
                : new SimulatedNode(name, NodeRole.Replica, NodeNames.Primary);
        }
    }

    /// <summary>
    /// Plays <paramref name="steps"/> on a cluster of one primary and <paramref name="replicas"/> replicas, run by the
    /// manager <paramref name="managed"/> describes (null: no manager, the schedule promotes).
    /// </summary>
    public static SchedulePlan Simulate(IReadOnlyList<ScheduleStep> steps, int replicas, TimeSpan duration, ManagedTopology? managed = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var simulator = new ScheduleSimulator(replicas, duration, managed);
        simulator.Run(steps);
        return new SchedulePlan(simulator.entries.ToImmutable(), simulator.issues.ToImmutable());
    }

    private void Run(IReadOnlyList<ScheduleStep> steps)
    {
        TimeSpan now = TimeSpan.Zero;
        for (stepIndex = 0; stepIndex < steps.Count; stepIndex++)
        {
            ScheduleStep step = steps[stepIndex];
            stepFailed = false;
            CheckTiming(step, now);
            if (step.At > now)
            {
                now = step.At;
            }

            EndFaultsDueBy(now);
            Play(step, now);
        }

        EndFaultsDueBy(TimeSpan.MaxValue);
    }

    private void CheckTiming(ScheduleStep step, TimeSpan previous)
    {
        if (step.At < TimeSpan.Zero)
        {
            Fail("at", $"at {DurationText.Show(step.At)} is negative; expected an offset from the workload start");
        }
        else if (!DurationText.IsWholeMilliseconds(step.At))
        {
            Fail("at", $"at {step.At} is not a whole number of milliseconds");
        }
        else if (step.At < previous)
        {
            Fail("at", $"steps out of order: at {DurationText.Show(step.At)} comes after a step at {DurationText.Show(previous)}; expected steps sorted by at");
        }
        else if (step.At > duration)
        {
            Fail("at", $"at {DurationText.Show(step.At)} is beyond the scenario duration {DurationText.Show(duration)}");
        }

        if (step is FaultStep { For: { } length } fault)
        {
            if (length <= TimeSpan.Zero || !DurationText.IsWholeMilliseconds(length))
            {
                Fail("for", $"for {DurationText.Show(length)} must be a positive whole number of milliseconds");
            }
            else if (fault.At + length > duration)
            {
                Fail("for", $"the {fault.Keyword} at {DurationText.Show(fault.At)} for {DurationText.Show(length)} ends at {DurationText.Show(fault.At + length)}, beyond the scenario duration {DurationText.Show(duration)}");
            }
        }
    }

    private void Play(ScheduleStep step, TimeSpan now)
    {
        switch (step)
        {
            case LatencyFault latency:
                CheckPositive("latency", latency.Latency);
                if (latency.Jitter < TimeSpan.Zero || latency.Jitter > latency.Latency || !DurationText.IsWholeMilliseconds(latency.Jitter))
                {
                    Fail("jitter", $"jitter {DurationText.Show(latency.Jitter)} must be whole milliseconds between 0ms and the latency {DurationText.Show(latency.Latency)}");
                }

                ApplyNetwork(latency, now);
                break;
            case BandwidthFault bandwidth:
                if (bandwidth.RateKilobytesPerSecond <= 0)
                {
                    Fail("rate", $"rate {bandwidth.RateKilobytesPerSecond} must be a positive number of KB/s");
                }

                ApplyNetwork(bandwidth, now);
                break;
            case FaultStep { IsNetwork: true } network:
                ApplyNetwork(network, now);
                break;
            case KillFault kill:
                Kill(kill, now);
                break;
            case PauseFault pause:
                Pause(pause, now);
                break;
            case RestartFault restart:
                Restart(restart);
                break;
            case TerminateBackendsFault terminate:
                TerminateBackends(terminate);
                break;
            case PromoteAction promote:
                Promote(promote);
                break;
            case RejoinAction rejoin:
                Rejoin(rejoin);
                break;
            case HealAction heal:
                Heal(heal, now);
                break;
            case WaitConvergedAction wait:
                WaitConverged(wait);
                break;
            case SwitchoverAction or FailoverAction or MaintenanceAction:
                ManagerAction((ActionStep)step);
                break;
            default:
                throw new ArgumentException($"Unknown schedule step type {step.GetType().Name}.", nameof(step));
        }
    }

    private void ApplyNetwork(FaultStep fault, TimeSpan now)
    {
        ImmutableArray<Link> links = ResolveLinks(fault.Target);
        foreach (ActiveFault other in active)
        {
            if (other.Fault.IsNetwork && FaultStep.Contradict(fault.Keyword, other.Fault.Keyword) && other.Planned.Links.Intersect(links).Any())
            {
                Fail("target", $"the {fault.Keyword} on {fault.Target} at {DurationText.Show(fault.At)} overlaps {other.Describe()}; "
                    + "expected it to start after that one ends (for, or a heal)");
            }
        }

        if (stepFailed)
        {
            return;
        }

        var planned = new PlannedStep(stepIndex, fault, links);
        entries.Add(new PlannedEntry(now, PlannedOperation.Apply, planned));
        active.Add(new ActiveFault(planned, fault.At + fault.For));
    }

    private ImmutableArray<Link> ResolveLinks(FaultTarget target)
    {
        if (managed is not null)
        {
            return ResolveManagedLinks(target, managed);
        }

        if (target is NodeTarget { Node: var name })
        {
            if (Node(name, "target") is null)
            {
                return [];
            }

            var links = ImmutableArray.CreateBuilder<Link>();
            links.Add(Link.ClientTo(name));
            links.AddRange(CurrentWalLinks().Where(link => link.From == name || link.To == name));
            return links.ToImmutable();
        }

        var link = ((LinkTarget)target).Link;
        bool exists = link.IsClientLink
            ? nodes.ContainsKey(link.To)
            : nodes.TryGetValue(link.From, out var from) && from.Role == NodeRole.Replica && from.Upstream == link.To;
        if (!exists)
        {
            string why = link.IsClientLink || !nodes.TryGetValue(link.From, out var source)
                ? string.Empty
                : $" ({link.From} is {source.Describe()})";
            Fail("target", $"link {link} does not exist at this point{why}; expected one of: {string.Join(", ", CurrentLinks())}");
            return [];
        }

        return [link];
    }

    // The manager decides who streams from whom, so a managed cluster's links are fixed: each node's (or role's) own.
    private ImmutableArray<Link> ResolveManagedLinks(FaultTarget target, ManagedTopology topology)
    {
        if (target is NodeTarget { Node: var name })
        {
            if (auxiliaries.ContainsKey(name))
            {
                Fail("target", $"{name} is one of {topology.Manager}'s own processes, not a node with links; cut the nodes' links to it (e.g. {topology.LinksOf(NodeNames.Leader).Last()}) or kill or pause it");
                return [];
            }

            return NodeOrRole(name, "target") ? topology.LinksOf(name) : [];
        }

        var link = ((LinkTarget)target).Link;
        var known = nodes.Keys.Concat([NodeNames.Leader, NodeNames.AnyReplica]).SelectMany(n => topology.LinksOf(n)).ToHashSet();
        if (!known.Contains(link))
        {
            Fail("target", $"link {link} is not a link of a {topology.Manager} cluster; expected one of: {string.Join(", ", nodes.Keys.SelectMany(n => topology.LinksOf(n)))}, "
                + $"or one with {NodeNames.Leader} or {NodeNames.AnyReplica} in place of the node (e.g. {topology.LinksOf(NodeNames.Leader)[1]})");
            return [];
        }

        return [link];
    }

    private IEnumerable<Link> CurrentWalLinks() =>
        nodes.Values.Where(n => n.Role == NodeRole.Replica).Select(n => new Link(n.Name, n.Upstream!));

    private IEnumerable<Link> CurrentLinks() => nodes.Keys.Select(Link.ClientTo).Concat(CurrentWalLinks());

    private void Kill(KillFault kill, TimeSpan now)
    {
        CheckProcess(kill.Node, kill.Process);
        if (managed is not null && kill.Process is null or NodeProcess.Server && !auxiliaries.ContainsKey(kill.Node) && kill.For is not null)
        {
            Fail("for", $"a killed server is {managed.Manager}'s to restart, not the harness's; drop for, or kill process: manager or all (the harness restarts the agent when for ends)");
        }

        if (ProcessTarget(kill.Node) is not { } node)
        {
            if (NodeNames.IsRole(kill.Node) && managed is not null && !stepFailed)
            {
                var role = new PlannedStep(stepIndex, kill, []);
                entries.Add(new PlannedEntry(now, PlannedOperation.Apply, role));
                if (kill.For is not null || kill.Process is NodeProcess.Manager or NodeProcess.All)
                {
                    active.Add(new ActiveFault(role, kill.At + kill.For));
                }
            }

            return;
        }

        RequireRunning(node, kill);
        if (stepFailed)
        {
            return;
        }

        // Under a manager a killed server comes back by the manager's hand, so only a dead agent keeps the node down.
        if (managed is null || auxiliaries.ContainsKey(kill.Node) || kill.Process is NodeProcess.Manager or NodeProcess.All)
        {
            node.KilledBy = kill;
        }

        var planned = new PlannedStep(stepIndex, kill, []);
        entries.Add(new PlannedEntry(now, PlannedOperation.Apply, planned));

        // A kill the harness must undo: one with for, or, under a manager, a dead agent or auxiliary (at the next heal).
        if (kill.For is not null || (managed is not null && node.KilledBy == kill))
        {
            active.Add(new ActiveFault(planned, kill.At + kill.For));
        }
    }

    private void Pause(PauseFault pause, TimeSpan now)
    {
        CheckProcess(pause.Node, pause.Process);
        if (ProcessTarget(pause.Node) is not { } node)
        {
            if (NodeNames.IsRole(pause.Node) && managed is not null && !stepFailed)
            {
                var role = new PlannedStep(stepIndex, pause, []);
                entries.Add(new PlannedEntry(now, PlannedOperation.Apply, role));
                active.Add(new ActiveFault(role, pause.At + pause.For));
            }

            return;
        }

        RequireRunning(node, pause);
        if (stepFailed)
        {
            return;
        }

        node.PausedBy = pause;
        var planned = new PlannedStep(stepIndex, pause, []);
        entries.Add(new PlannedEntry(now, PlannedOperation.Apply, planned));
        active.Add(new ActiveFault(planned, pause.At + pause.For));
    }

    private void Restart(RestartFault restart)
    {
        if (managed is not null && NodeNames.IsRole(restart.Node))
        {
            entries.Add(new PlannedEntry(restart.At, PlannedOperation.Apply, new PlannedStep(stepIndex, restart, [])));
            return;
        }

        if (Node(restart.Node, "target") is not { } node)
        {
            return;
        }

        RequireNotPaused(node, restart);
        RequireNoTimedKill(node, restart);
        if (!stepFailed)
        {
            node.KilledBy = null;
            entries.Add(new PlannedEntry(restart.At, PlannedOperation.Apply, new PlannedStep(stepIndex, restart, [])));
        }
    }

    private void TerminateBackends(TerminateBackendsFault terminate)
    {
        if (managed is not null && NodeNames.IsRole(terminate.Node))
        {
            entries.Add(new PlannedEntry(terminate.At, PlannedOperation.Apply, new PlannedStep(stepIndex, terminate, [])));
            return;
        }

        if (Node(terminate.Node, "target") is not { } node)
        {
            return;
        }

        RequireRunning(node, terminate);
        if (managed is null && node.Role == NodeRole.Replica)
        {
            Fail("target", $"{node.Name} is {node.Describe()} at {DurationText.Show(terminate.At)}; expected a primary, whose sessions wait for synchronous replication");
        }

        if (!stepFailed)
        {
            entries.Add(new PlannedEntry(terminate.At, PlannedOperation.Apply, new PlannedStep(stepIndex, terminate, [])));
        }
    }

    private void Promote(PromoteAction promote)
    {
        if (managed is not null)
        {
            Fail("action", ManagerPromotes(managed));
            return;
        }

        if (Node(promote.Node, "target") is not { } node)
        {
            return;
        }

        if (node.Role != NodeRole.Replica)
        {
            Fail("target", $"cannot promote {node.Name}: it is {node.Describe()} at {DurationText.Show(promote.At)}; expected a replica");
        }

        RequireRunning(node, promote);
        if (stepFailed)
        {
            return;
        }

        nodes[currentPrimary].Role = NodeRole.DeposedPrimary;
        node.Role = NodeRole.Primary;
        node.Upstream = null;
        currentPrimary = node.Name;
        var created = ImmutableArray.CreateBuilder<Link>();
        foreach (SimulatedNode replica in nodes.Values.Where(n => n.Role == NodeRole.Replica))
        {
            replica.Upstream = node.Name;
            created.Add(new Link(replica.Name, node.Name));
        }

        entries.Add(new PlannedEntry(promote.At, PlannedOperation.Run, new PlannedStep(stepIndex, promote, created.ToImmutable())));
    }

    private void Rejoin(RejoinAction rejoin)
    {
        if (managed is not null)
        {
            Fail("action", ManagerPromotes(managed));
            return;
        }

        if (Node(rejoin.Node, "target") is not { } node)
        {
            return;
        }

        if (node.Role != NodeRole.DeposedPrimary)
        {
            Fail("target", $"cannot rejoin {node.Name}: it is {node.Describe()} at {DurationText.Show(rejoin.At)}; expected a deposed primary (a promote of another node comes first)");
        }

        RequireNotPaused(node, rejoin);
        RequireNoTimedKill(node, rejoin);
        if (stepFailed)
        {
            return;
        }

        node.Role = NodeRole.Replica;
        node.Upstream = currentPrimary;
        node.KilledBy = null;
        entries.Add(new PlannedEntry(rejoin.At, PlannedOperation.Run, new PlannedStep(stepIndex, rejoin, [new Link(node.Name, currentPrimary)])));
    }

    private void Heal(HealAction heal, TimeSpan now)
    {
        // Last applied, first removed, so a node target's links come back in the reverse order they went down.
        foreach (ActiveFault fault in active.Where(a => a.Fault.IsHealable).Reverse().ToList())
        {
            Remove(fault, now);
        }

        // Under a manager, heal undoes the harness's kills too: it starts the agents (and auxiliaries) it killed.
        if (managed is not null)
        {
            foreach (ActiveFault fault in active.Where(a => a.Fault is KillFault).Reverse().ToList())
            {
                Remove(fault, now);
            }

            foreach (SimulatedNode node in nodes.Values.Concat(auxiliaries.Values))
            {
                node.KilledBy = null;
            }
        }

        entries.Add(new PlannedEntry(now, PlannedOperation.Run, new PlannedStep(stepIndex, heal, [])));
    }

    private void WaitConverged(WaitConvergedAction wait)
    {
        CheckPositive("deadline", wait.Deadline);
        foreach (ActiveFault fault in active.Where(a => a.Fault.IsHealable))
        {
            Fail("action", $"wait-converged at {DurationText.Show(wait.At)} while {fault.Describe()} is still active, so replicas cannot converge; expected a heal or the fault's end before it");
        }

        if (!stepFailed)
        {
            entries.Add(new PlannedEntry(wait.At, PlannedOperation.Run, new PlannedStep(stepIndex, wait, [])));
        }
    }

    private void ManagerAction(ActionStep action)
    {
        if (managed is null)
        {
            Fail("action", $"{action.Keyword} asks an HA manager, and this cluster has none; set cluster.manager (e.g. patroni), or use action: promote");
            return;
        }

        string? candidate = action switch
        {
            SwitchoverAction switchover => switchover.Candidate,
            FailoverAction failover => failover.Candidate,
            _ => null,
        };
        if (candidate is not null && Node(candidate, "candidate") is null)
        {
            return;
        }

        entries.Add(new PlannedEntry(action.At, PlannedOperation.Run, new PlannedStep(stepIndex, action, [])));
    }

    private static string ManagerPromotes(ManagedTopology topology) =>
        $"the manager ({topology.Manager}) promotes and rejoins; use action: failover or switchover";

    // process applies to the nodes of a managed cluster; the manager's own processes have just one.
    private void CheckProcess(string target, NodeProcess? process)
    {
        if (process is null)
        {
            return;
        }

        if (managed is null)
        {
            Fail("process", "process applies to a cluster an HA manager runs; set cluster.manager (e.g. patroni), or drop process (the server is what is hit)");
        }
        else if (auxiliaries.ContainsKey(target))
        {
            Fail("process", $"{target} is one of {managed.Manager}'s own processes; process applies to nodes; drop it");
        }
    }

    // The node or auxiliary whose state a kill or pause changes; null for a role target (resolved when it runs) and for
    // an unknown name (reported).
    private SimulatedNode? ProcessTarget(string name)
    {
        if (managed is not null && NodeNames.IsRole(name))
        {
            return null;
        }

        if (auxiliaries.TryGetValue(name, out var auxiliary))
        {
            return auxiliary;
        }

        if (nodes.TryGetValue(name, out var node))
        {
            return node;
        }

        string auxiliaryNames = auxiliaries.Count == 0 ? string.Empty : ", " + string.Join(", ", auxiliaries.Keys);
        Fail("target", managed is null
            ? $"node {name} does not exist; expected one of: {string.Join(", ", nodes.Keys)}"
            : $"{name} is neither a node nor one of {managed.Manager}'s processes; expected one of: {string.Join(", ", nodes.Keys)}, {NodeNames.Leader}, {NodeNames.AnyReplica}{auxiliaryNames}");
        return null;
    }

    private bool NodeOrRole(string name, string field) =>
        (managed is not null && NodeNames.IsRole(name)) || Node(name, field) is not null;

    private void EndFaultsDueBy(TimeSpan now)
    {
        while (active.Where(a => a.End <= now).OrderBy(a => a.End).ThenBy(a => a.Planned.Index).FirstOrDefault() is { } due)
        {
            Remove(due, due.End!.Value);
        }
    }

    private void Remove(ActiveFault fault, TimeSpan when)
    {
        active.Remove(fault);
        switch (fault.Fault)
        {
            case KillFault kill when Tracked(kill.Node) is { } killed:
                killed.KilledBy = null;
                break;
            case PauseFault pause when Tracked(pause.Node) is { } paused:
                paused.PausedBy = null;
                break;
        }

        entries.Add(new PlannedEntry(when, PlannedOperation.Remove, fault.Planned));
    }

    private SimulatedNode? Tracked(string name) =>
        nodes.TryGetValue(name, out var node) ? node : auxiliaries.GetValueOrDefault(name);

    private SimulatedNode? Node(string name, string field)
    {
        if (nodes.TryGetValue(name, out var node))
        {
            return node;
        }

        Fail(field, $"node {name} does not exist; expected one of: {string.Join(", ", nodes.Keys)}");
        return null;
    }

    private void RequireRunning(SimulatedNode node, ScheduleStep step)
    {
        if (node.KilledBy is { } kill)
        {
            Fail("target", $"{step.Keyword} {node.Name} at {DurationText.Show(step.At)}: the node is down since the kill at {DurationText.Show(kill.At)}; expected a running node");
        }

        RequireNotPaused(node, step);
    }

    private void RequireNotPaused(SimulatedNode node, ScheduleStep step)
    {
        if (node.PausedBy is { } pause)
        {
            Fail("target", $"{step.Keyword} {node.Name} at {DurationText.Show(step.At)}: the node is paused since {DurationText.Show(pause.At)}; expected it resumed first (for, or a heal)");
        }
    }

    private void RequireNoTimedKill(SimulatedNode node, ScheduleStep step)
    {
        if (node.KilledBy is { For: not null } kill)
        {
            Fail("target", $"{step.Keyword} {node.Name} at {DurationText.Show(step.At)}: the kill at {DurationText.Show(kill.At)} restarts the node at {DurationText.Show(kill.At + kill.For.Value)}; expected this step after that");
        }
    }

    private void CheckPositive(string field, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || !DurationText.IsWholeMilliseconds(value))
        {
            Fail(field, $"{field} {DurationText.Show(value)} must be a positive whole number of milliseconds");
        }
    }

    private void Fail(string field, string message)
    {
        stepFailed = true;
        issues.Add(new ScheduleIssue(stepIndex, field, message));
    }
}
