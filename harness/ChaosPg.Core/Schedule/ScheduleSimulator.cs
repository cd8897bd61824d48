using System.Collections.Immutable;

namespace ChaosPg.Core.Schedule;

/// <summary>
/// Plays a schedule through a simulated topology before anything runs: checks that every target exists when its step
/// comes (promote and rejoin change which WAL links exist), that steps are in order and inside the duration, that no
/// two steps contradict each other, and produces the <see cref="SchedulePlan"/> an executor follows.
/// </summary>
public sealed class ScheduleSimulator
{
    private readonly Dictionary<string, SimulatedNode> nodes = new(StringComparer.Ordinal);
    private readonly List<ActiveFault> active = [];
    private readonly ImmutableArray<PlannedEntry>.Builder entries = ImmutableArray.CreateBuilder<PlannedEntry>();
    private readonly ImmutableArray<ScheduleIssue>.Builder issues = ImmutableArray.CreateBuilder<ScheduleIssue>();
    private readonly TimeSpan duration;
    private readonly ImmutableHashSet<Link>? managerLinks;
    private string currentPrimary = NodeNames.Primary;
    private int stepIndex;
    private bool stepFailed;

    private ScheduleSimulator(int replicas, TimeSpan duration, IEnumerable<Link>? managerLinks)
    {
        this.duration = duration;
        this.managerLinks = managerLinks?.ToImmutableHashSet();
        foreach (string name in NodeNames.ForCluster(replicas))
        {
            nodes[name] = name == NodeNames.Primary
                ? new SimulatedNode(name, NodeRole.Primary, null)
                : new SimulatedNode(name, NodeRole.Replica, NodeNames.Primary);
        }
    }

    /// <summary>
    /// Plays <paramref name="steps"/> on a cluster of one primary and <paramref name="replicas"/> replicas. Under an HA
    /// manager, <paramref name="managerLinks"/> are its links (repmgr's <c>peers-&gt;NODE</c>): they exist from start to
    /// end, and the harness's own WAL links (<c>replica1-&gt;primary</c>) do not.
    /// </summary>
    public static SchedulePlan Simulate(IReadOnlyList<ScheduleStep> steps, int replicas, TimeSpan duration, IEnumerable<Link>? managerLinks = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var simulator = new ScheduleSimulator(replicas, duration, managerLinks);
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
        if (target is NodeTarget { Node: var name })
        {
            if (Node(name, "target") is null)
            {
                return [];
            }

            var links = ImmutableArray.CreateBuilder<Link>();
            links.Add(Link.ClientTo(name));
            links.AddRange((managerLinks ?? CurrentWalLinks()).Where(link => link.From == name || link.To == name));
            return links.ToImmutable();
        }

        var link = ((LinkTarget)target).Link;
        bool exists = link.IsClientLink
            ? nodes.ContainsKey(link.To)
            : managerLinks is not null
                ? managerLinks.Contains(link)
                : nodes.TryGetValue(link.From, out var from) && from.Role == NodeRole.Replica && from.Upstream == link.To;
        if (!exists)
        {
            string why = link.IsClientLink || managerLinks is not null || !nodes.TryGetValue(link.From, out var source)
                ? string.Empty
                : $" ({link.From} is {source.Describe()})";
            Fail("target", $"link {link} does not exist at this point{why}; expected one of: {string.Join(", ", CurrentLinks())}");
            return [];
        }

        return [link];
    }

    private IEnumerable<Link> CurrentWalLinks() =>
        nodes.Values.Where(n => n.Role == NodeRole.Replica).Select(n => new Link(n.Name, n.Upstream!));

    private IEnumerable<Link> CurrentLinks() =>
        nodes.Keys.Select(Link.ClientTo).Concat(managerLinks?.OrderBy(l => l.ToString(), StringComparer.Ordinal) ?? CurrentWalLinks());

    private void Kill(KillFault kill, TimeSpan now)
    {
        if (Node(kill.Node, "target") is not { } node)
        {
            return;
        }

        RequireRunning(node, kill);
        if (stepFailed)
        {
            return;
        }

        node.KilledBy = kill;
        var planned = new PlannedStep(stepIndex, kill, []);
        entries.Add(new PlannedEntry(now, PlannedOperation.Apply, planned));
        if (kill.For is not null)
        {
            active.Add(new ActiveFault(planned, kill.At + kill.For));
        }
    }

    private void Pause(PauseFault pause, TimeSpan now)
    {
        if (Node(pause.Node, "target") is not { } node)
        {
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
        if (Node(terminate.Node, "target") is not { } node)
        {
            return;
        }

        RequireRunning(node, terminate);
        if (node.Role == NodeRole.Replica)
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
            case KillFault kill:
                nodes[kill.Node].KilledBy = null;
                break;
            case PauseFault pause:
                nodes[pause.Node].PausedBy = null;
                break;
        }

        entries.Add(new PlannedEntry(when, PlannedOperation.Remove, fault.Planned));
    }

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
