using System.Collections.Concurrent;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Links;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Providers;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Scheduling;
using Npgsql;

namespace ChaosPg.Runner.Faults;

/// <summary>
/// The nemesis of a cluster: network faults become toxics or disabled proxies on the step's links
/// (<see cref="ILinkFaults"/>: Toxiproxy, or iptables and tc in the kernel network mode), node faults become kills, pauses and restarts of its <see cref="IClusterNode"/>s, an
/// isolation a network disconnect where the node has a network of its own (else a blackhole of its links), actions become
/// promote, rejoin, heal and waits for convergence. Removal tolerates a fault that is only partly in place and may
/// run twice. On a cluster an HA manager runs (<see cref="IManagedCluster"/>), role targets (<c>leader</c>,
/// <c>replica</c>) are resolved from the manager's latest view when a step applies and kept for its removal; kills and
/// pauses reach the server, the agent or both (<see cref="IManagedNode"/>) or the manager's own processes by name; a
/// killed server is left to the manager; heal also starts the agents and auxiliaries the schedule killed.
/// </summary>
public sealed class ClusterFaultInjector : IFaultInjector
{
    private readonly IReplicatedCluster cluster;
    private readonly ILinkFaults? linkFaults;
    private readonly IManagedCluster? managed;
    private readonly ConcurrentDictionary<int, string> resolved = new();
    private static readonly TimeSpan MemberPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MinimumConvergenceWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MemberAnswerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Creates the injector; <paramref name="linkFaults"/> is null when the cluster's links are not proxied
    /// (<see cref="DirectLinkRouter"/>), and then network faults are refused.
    /// </summary>
    public ClusterFaultInjector(IReplicatedCluster cluster, ILinkFaults? linkFaults)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        this.cluster = cluster;
        this.linkFaults = linkFaults;
        managed = cluster as IManagedCluster;
    }

    /// <summary>
    /// The node a role target of <paramref name="plannedStep"/> stands for: resolved from the manager's view the first
    /// time it is asked (when the step applies) and the same for its removal; null when the step names no role.
    /// </summary>
    /// <exception cref="InvalidOperationException">The manager names no node for the role now.</exception>
    public string? ResolvedNode(PlannedStep plannedStep)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        if (managed is null || RoleOf(plannedStep.Step) is not { } role)
        {
            return null;
        }

        return resolved.GetOrAdd(plannedStep.Index, _ => RoleTargets.Resolve(role, managed.LatestView)
            ?? throw new InvalidOperationException($"{plannedStep.Step.Keyword} {role}: {managed.Manager} lists no {(role == NodeNames.Leader ? "leader" : "running replica")} now"));
    }

    /// <summary>The role target a step names (<c>leader</c>, <c>replica</c>, or one in a link); null when it names none.</summary>
    public static string? RoleOf(ScheduleStep step) => step switch
    {
        FaultStep { Target: NodeTarget { Node: var node } } when NodeNames.IsRole(node) => node,
        FaultStep { Target: LinkTarget { Link: var link } } => new[] { link.From, link.To }.FirstOrDefault(NodeNames.IsRole),
        _ => null,
    };

    /// <summary><paramref name="name"/> with the step's role target resolved to its node.</summary>
    public string Concrete(PlannedStep plannedStep, string name) =>
        NodeNames.IsRole(name) && ResolvedNode(plannedStep) is { } node ? node : name;

    /// <summary><paramref name="link"/> with the step's role target resolved (<c>peers-&gt;leader</c> becomes <c>peers-&gt;replica1</c>).</summary>
    public Link Concrete(PlannedStep plannedStep, Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new Link(Concrete(plannedStep, link.From), Concrete(plannedStep, link.To));
    }

    /// <summary>
    /// How this cluster isolates <paramref name="node"/>, for the history: <c>network-disconnect</c> where the node has a
    /// network of its own (a container), else <c>blackhole-links</c> (every link of the node, local processes).
    /// </summary>
    public string IsolationMethod(string node) => cluster[node].CanIsolate ? "network-disconnect" : "blackhole-links";

    /// <summary>
    /// How a link fault of <paramref name="fault"/>'s kind is applied, for the history (e.g. <c>iptables-drop</c>,
    /// <c>toxiproxy-disable</c>); null for a fault that is not on links or when no link faults exist.
    /// </summary>
    public string? LinkMethod(FaultStep fault) =>
        fault is { IsNetwork: true } and not IsolateFault && linkFaults is not null ? linkFaults.Mechanism(Kind(fault)) : null;

    /// <summary>The result of the last wait-converged action, for the run to record; null before the first one.</summary>
    public ConvergenceResult? LastConvergence { get; private set; }

    public async Task ApplyAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        switch (plannedStep.Step)
        {
            case PartitionFault partition:
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.PartitionAsync(link, Direction(partition.Direction), cancellationToken)).ConfigureAwait(false);
                break;
            case IsolateFault isolate when cluster[Concrete(plannedStep, isolate.Node)].CanIsolate:
                await cluster[Concrete(plannedStep, isolate.Node)].IsolateAsync(cancellationToken).ConfigureAwait(false);
                break;
            case BlackholeFault or IsolateFault:
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.BlackholeAsync(link, cancellationToken)).ConfigureAwait(false);
                break;
            case LatencyFault latency:
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.LatencyAsync(link, latency.Latency, latency.Jitter, Direction(latency.Direction), cancellationToken)).ConfigureAwait(false);
                break;
            case BandwidthFault bandwidth:
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.BandwidthAsync(link, bandwidth.RateKilobytesPerSecond, LinkDirection.Both, cancellationToken)).ConfigureAwait(false);
                break;
            case ResetFault:
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.ResetPeerAsync(link, cancellationToken)).ConfigureAwait(false);
                break;
            case LossFault loss:
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.LossAsync(link, loss.Probability, Direction(loss.Direction), cancellationToken)).ConfigureAwait(false);
                break;
            case KillFault kill when IsAuxiliary(kill.Node):
                await managed!.KillAuxiliaryAsync(kill.Node, cancellationToken).ConfigureAwait(false);
                break;
            case KillFault { Process: NodeProcess.Manager } kill:
                await Agent(plannedStep, kill.Node).KillManagerAsync(cancellationToken).ConfigureAwait(false);
                break;
            case KillFault { Process: NodeProcess.All } kill:
                await Agent(plannedStep, kill.Node).KillAllAsync(cancellationToken).ConfigureAwait(false);
                break;
            case KillFault kill:
                await cluster[Concrete(plannedStep, kill.Node)].KillAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault pause when IsAuxiliary(pause.Node):
                await managed!.PauseAuxiliaryAsync(pause.Node, cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault { Process: NodeProcess.Manager } pause:
                await Agent(plannedStep, pause.Node).PauseManagerAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault { Process: NodeProcess.All } pause:
                await Agent(plannedStep, pause.Node).PauseAllAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault pause:
                await cluster[Concrete(plannedStep, pause.Node)].PauseAsync(cancellationToken).ConfigureAwait(false);
                break;
            case RestartFault restart:
                // Restart also brings back a node that was killed for good.
                var node = cluster[Concrete(plannedStep, restart.Node)];
                await (node.IsRunning ? node.RestartAsync(cancellationToken) : node.StartAsync(cancellationToken)).ConfigureAwait(false);
                break;
            case TerminateBackendsFault terminate:
                await TerminateSyncWaitersAsync(cluster[Concrete(plannedStep, terminate.Node)], cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"{plannedStep.Step.Keyword} is not a fault the injector applies.", nameof(plannedStep));
        }
    }

    public async Task RemoveAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        switch (plannedStep.Step)
        {
            case IsolateFault isolate when cluster[Concrete(plannedStep, isolate.Node)].CanIsolate:
                await cluster[Concrete(plannedStep, isolate.Node)].ReconnectAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PartitionFault or BlackholeFault or IsolateFault or LatencyFault or BandwidthFault or ResetFault or LossFault:
                var kind = Kind((FaultStep)plannedStep.Step);
                await ForEachLinkAsync(plannedStep, (faults, link) => faults.RemoveAsync(new LinkFault(link, kind), cancellationToken)).ConfigureAwait(false);
                break;
            case KillFault kill when IsAuxiliary(kill.Node):
                await managed!.StartAuxiliaryAsync(kill.Node, cancellationToken).ConfigureAwait(false);
                break;
            case KillFault { Process: NodeProcess.Manager or NodeProcess.All } kill:
                // The agent takes its server over again: starts it, or demotes and rewinds a deposed leader.
                await Agent(plannedStep, kill.Node).StartManagerAsync(cancellationToken).ConfigureAwait(false);
                break;
            case KillFault when managed is not null:
                // A killed server under a manager is the manager's to restart, never the harness's.
                break;
            case KillFault kill:
                var killed = cluster[kill.Node];
                if (!killed.IsRunning)
                {
                    await killed.StartAsync(cancellationToken).ConfigureAwait(false);
                }

                break;
            case PauseFault pause when IsAuxiliary(pause.Node):
                await managed!.ResumeAuxiliaryAsync(pause.Node, cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault { Process: NodeProcess.Manager } pause:
                await Agent(plannedStep, pause.Node).ResumeManagerAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault { Process: NodeProcess.All } pause:
                await Agent(plannedStep, pause.Node).ResumeAllAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PauseFault pause:
                var paused = cluster[Concrete(plannedStep, pause.Node)];
                if (paused.IsRunning)
                {
                    await paused.ResumeAsync(cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                throw new ArgumentException($"{plannedStep.Step.Keyword} is not a lasting fault; there is nothing to remove.", nameof(plannedStep));
        }
    }

    public async Task RunActionAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        switch (plannedStep.Step)
        {
            case PromoteAction promote:
                await cluster[promote.Node].PromoteAsync(cancellationToken).ConfigureAwait(false);
                RequireLinks(plannedStep);
                break;
            case RejoinAction rejoin:
                // A node killed while primary was not shut down cleanly; pg_rewind (PostgreSQL 13+) runs its crash
                // recovery in single-user mode first, so it never accepts a client as a primary on the way.
                await cluster[rejoin.Node].RejoinAsync(cancellationToken).ConfigureAwait(false);
                RequireLinks(plannedStep);
                break;
            case HealAction:
                if (linkFaults is not null)
                {
                    await linkFaults.HealAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var node in cluster.Nodes.Where(n => n.CanIsolate))
                {
                    await node.ReconnectAsync(cancellationToken).ConfigureAwait(false);
                }

                if (managed is not null)
                {
                    await HealManagedAsync(managed, cancellationToken).ConfigureAwait(false);
                    break;
                }

                // SIGCONT does nothing to a process that is not stopped; killed nodes stay down.
                foreach (var node in cluster.Nodes.Where(n => n.IsRunning))
                {
                    await node.ResumeAsync(cancellationToken).ConfigureAwait(false);
                }

                break;
            case SwitchoverAction switchover:
                await Manager(switchover).SwitchoverAsync(switchover.Candidate, cancellationToken).ConfigureAwait(false);
                break;
            case FailoverAction failover:
                await Manager(failover).FailoverAsync(failover.Candidate, cancellationToken).ConfigureAwait(false);
                break;
            case MaintenanceAction maintenance:
                await Manager(maintenance).SetMaintenanceAsync(maintenance.On, cancellationToken).ConfigureAwait(false);
                break;
            case WaitConvergedAction wait when managed is not null:
                // Rejoining is the manager's job: a node it has not taken back yet is no replica yet, and the wait
                // would skip it. So the wait first gives the manager (within the deadline) time to list every node.
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await WaitEveryMemberFollowsAsync(managed, wait.Deadline, cancellationToken).ConfigureAwait(false);
                var left = wait.Deadline - clock.Elapsed;
                LastConvergence = await cluster.WaitConvergedAsync(left > MinimumConvergenceWait ? left : MinimumConvergenceWait, cancellationToken).ConfigureAwait(false);
                break;
            case WaitConvergedAction wait:
                LastConvergence = await cluster.WaitConvergedAsync(wait.Deadline, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"{plannedStep.Step.Keyword} is not an action.", nameof(plannedStep));
        }
    }

    private async Task ForEachLinkAsync(PlannedStep plannedStep, Func<ILinkFaults, string, Task> perLink)
    {
        var faults = linkFaults ?? throw new InvalidOperationException(
            $"the {plannedStep.Step.Keyword} fault needs the cluster's links routed through Toxiproxy or the kernel network mode, but this cluster connects directly (no proxy)");
        foreach (var link in plannedStep.Links)
        {
            await perLink(faults, Concrete(plannedStep, link).ToString()).ConfigureAwait(false);
        }
    }

    // Heal undoes the harness's faults and nothing of the manager's: it resumes whatever is paused (auxiliaries first,
    // so the DCS is back before the agents ask it), starts the auxiliaries and agents the schedule killed, and leaves
    // the servers to their agents.
    private static async Task HealManagedAsync(IManagedCluster managed, CancellationToken cancellationToken)
    {
        foreach (var auxiliary in managed.Auxiliaries)
        {
            await managed.ResumeAuxiliaryAsync(auxiliary, cancellationToken).ConfigureAwait(false);
            await managed.StartAuxiliaryAsync(auxiliary, cancellationToken).ConfigureAwait(false);
        }

        foreach (var node in managed.Nodes.OfType<IManagedNode>())
        {
            await node.ResumeAllAsync(cancellationToken).ConfigureAwait(false);
            if (!node.ManagerIsRunning)
            {
                await node.StartManagerAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Until the manager lists a leader and every other node as a running replica of it whose server answers in
    // recovery (a demoted leader is listed before its server is back), or the deadline.
    private static async Task WaitEveryMemberFollowsAsync(IManagedCluster managed, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            var view = managed.LatestView;
            if (view?.Leader is { } leader
                && managed.Nodes.All(n => n.Name == leader || (view[n.Name] is { State: "running" or "streaming" } && n.Upstream?.Name == leader))
                && (await Task.WhenAll(managed.Nodes.Where(n => n.Name != leader).Select(n => AnswersAsReplicaAsync(n, cancellationToken))).ConfigureAwait(false)).All(ok => ok))
            {
                return;
            }

            await Task.Delay(MemberPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> AnswersAsReplicaAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(MemberAnswerTimeout);
        try
        {
            return (await node.GetStatusAsync(limit.Token).ConfigureAwait(false)).Role == NodeRole.Replica;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private bool IsAuxiliary(string name) => managed is not null && managed.Auxiliaries.Contains(name);

    private IManagedNode Agent(PlannedStep plannedStep, string name)
    {
        var node = cluster[Concrete(plannedStep, name)];
        return node as IManagedNode ?? throw new InvalidOperationException(
            $"{plannedStep.Step.Keyword} of a node's manager process needs a cluster an HA manager runs; {node.Name} has no agent");
    }

    private IManagedCluster Manager(ScheduleStep step) => managed ?? throw new InvalidOperationException(
        $"{step.Keyword} asks an HA manager, and this cluster has none");

    // The schedule simulator and the cluster decide independently who streams from whom; a disagreement would put
    // later faults on links that carry nothing, so it stops the run here.
    private void RequireLinks(PlannedStep plannedStep)
    {
        var wrong = plannedStep.Links
            .Where(link => cluster[link.From].Upstream?.Name != link.To)
            .Select(link => $"{link} ({link.From} streams from {cluster[link.From].Upstream?.Name ?? "nobody"})")
            .ToList();
        if (wrong.Count > 0)
        {
            throw new InvalidOperationException($"after {plannedStep.Step.Keyword}, the cluster's WAL links differ from the schedule's: {string.Join(", ", wrong)}");
        }
    }

    private static async Task TerminateSyncWaitersAsync(IClusterNode node, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(node.GetConnectionString(DatabaseRole.Superuser));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'SyncRep'", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static LinkDirection Direction(LatencyDirection direction) => direction switch
    {
        LatencyDirection.Upstream => LinkDirection.Upstream,
        LatencyDirection.Downstream => LinkDirection.Downstream,
        _ => LinkDirection.Both,
    };

    private static LinkFaultKind Kind(FaultStep fault) => fault switch
    {
        PartitionFault => LinkFaultKind.Partition,
        BlackholeFault or IsolateFault => LinkFaultKind.Blackhole,
        LatencyFault => LinkFaultKind.Latency,
        BandwidthFault => LinkFaultKind.Bandwidth,
        LossFault => LinkFaultKind.Loss,
        _ => LinkFaultKind.ResetPeer,
    };
}
