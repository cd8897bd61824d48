using System.Collections.Immutable;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// The cluster as an explored schedule leaves it at a point in time: who is primary, who streams from whom, which
/// nodes are down or paused, which network faults hold which links. It mirrors <see cref="ScheduleSimulator"/> and adds
/// the explorer's own rules: a promote only follows a kill of the primary for good (an operator's failover, so the
/// old primary cannot take writes next to the new one), a deposed primary comes back only by rejoin, a rejoin needs the current primary running, only the primary
/// is killed for good and it never stays down without a promote. The generator draws only moves the model allows;
/// the shrinker keeps only candidates it accepts.
/// </summary>
internal sealed class ScheduleModel
{
    private static readonly TimeSpan Forever = TimeSpan.MaxValue;

    private readonly ImmutableArray<string> nodes;
    private readonly Dictionary<string, string?> upstream;
    private readonly Dictionary<string, TimeSpan> downUntil;
    private readonly Dictionary<string, TimeSpan> pausedUntil;
    private readonly List<(FaultStep Fault, ImmutableArray<Link> Links, TimeSpan End)> network;

    private ScheduleModel(
        ImmutableArray<string> nodes,
        Dictionary<string, string?> upstream,
        Dictionary<string, TimeSpan> downUntil,
        Dictionary<string, TimeSpan> pausedUntil,
        List<(FaultStep, ImmutableArray<Link>, TimeSpan)> network,
        string primary,
        TimeSpan now)
    {
        this.nodes = nodes;
        this.upstream = upstream;
        this.downUntil = downUntil;
        this.pausedUntil = pausedUntil;
        this.network = network;
        Primary = primary;
        Now = now;
    }

    public string Primary { get; private set; }

    public TimeSpan Now { get; private set; }

    public ImmutableArray<string> Nodes => nodes;

    /// <summary>Nodes that are up and not paused, deposed primaries excluded.</summary>
    public IEnumerable<string> Running => nodes.Where(n => !IsDeposed(n) && !downUntil.ContainsKey(n) && !pausedUntil.ContainsKey(n));

    /// <summary>Running replicas, which a failover may promote.</summary>
    public IEnumerable<string> RunningReplicas => Running.Where(n => upstream[n] is not null);

    /// <summary>Deposed primaries, down until they rejoin.</summary>
    public IEnumerable<string> Deposed => nodes.Where(IsDeposed);

    /// <summary>True while a network fault or a pause holds: a heal has something to do and wait-converged cannot run.</summary>
    public bool HasHealable => network.Count > 0 || pausedUntil.Count > 0;

    /// <summary>Every link that exists now: each node's client link and each replica's WAL link.</summary>
    public IEnumerable<Link> Links => nodes.Select(Link.ClientTo).Concat(WalLinks);

    public IEnumerable<Link> WalLinks => nodes.Where(n => upstream[n] is not null).Select(n => new Link(n, upstream[n]!));

    public static ScheduleModel Start(int replicas)
    {
        var names = NodeNames.ForCluster(replicas);
        return new ScheduleModel(
            names,
            names.ToDictionary(n => n, n => n == NodeNames.Primary ? null : (string?)NodeNames.Primary, StringComparer.Ordinal),
            new Dictionary<string, TimeSpan>(StringComparer.Ordinal),
            new Dictionary<string, TimeSpan>(StringComparer.Ordinal),
            [],
            NodeNames.Primary,
            TimeSpan.Zero);
    }

    /// <summary>True when <paramref name="steps"/> is a schedule the explorer could have generated: its rules hold at every step and at the end.</summary>
    public static bool Accepts(IReadOnlyList<ScheduleStep> steps, int replicas, bool requireAllNodesBack)
    {
        ArgumentNullException.ThrowIfNull(steps);
        int moves = ScheduleGenerator.MoveCount(steps);
        if (moves == steps.Count || steps[^1] is not WaitConvergedAction || steps.Skip(moves + 1).SkipLast(1).Any(s => s is not RejoinAction))
        {
            return false;
        }

        var model = Start(replicas);
        foreach (var step in steps)
        {
            if (step.At < model.Now)
            {
                return false;
            }

            model.AdvanceTo(step.At);
            if (!model.TryApply(step))
            {
                return false;
            }
        }

        return !model.downUntil.ContainsKey(model.Primary) && (!requireAllNodesBack || !model.Deposed.Any());
    }

    public ScheduleModel Clone() => new(
        nodes,
        new Dictionary<string, string?>(upstream, StringComparer.Ordinal),
        new Dictionary<string, TimeSpan>(downUntil, StringComparer.Ordinal),
        new Dictionary<string, TimeSpan>(pausedUntil, StringComparer.Ordinal),
        [.. network],
        Primary,
        Now);

    /// <summary>Moves the clock to <paramref name="time"/>; faults whose for has elapsed end (as in the simulator, at or before it).</summary>
    public void AdvanceTo(TimeSpan time)
    {
        Now = time;
        network.RemoveAll(f => f.End <= time);
        foreach (var node in pausedUntil.Where(p => p.Value <= time).Select(p => p.Key).ToList())
        {
            pausedUntil.Remove(node);
        }

        foreach (var node in downUntil.Where(d => d.Value <= time).Select(d => d.Key).ToList())
        {
            downUntil.Remove(node);
        }
    }

    /// <summary>The links a network fault on <paramref name="target"/> hits now; empty when the target does not exist.</summary>
    public ImmutableArray<Link> Resolve(FaultTarget target) => target switch
    {
        NodeTarget { Node: var node } when nodes.Contains(node) =>
            [Link.ClientTo(node), .. WalLinks.Where(l => l.From == node || l.To == node)],
        LinkTarget { Link: var link } when Links.Contains(link) => [link],
        _ => [],
    };

    /// <summary>True when a network fault of <paramref name="keyword"/>'s kind may go on <paramref name="links"/> now (no overlap <see cref="FaultStep.Contradict"/> forbids).</summary>
    public bool CanPlace(string keyword, ImmutableArray<Link> links) =>
        !links.IsEmpty && !network.Any(f => FaultStep.Contradict(keyword, f.Fault.Keyword) && f.Links.Intersect(links).Any());

    /// <summary>Plays one step at <see cref="Now"/>; false (nothing changed) when the explorer's rules or the simulator's refuse it.</summary>
    public bool TryApply(ScheduleStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        switch (step)
        {
            case FaultStep { IsNetwork: true } fault:
                var links = Resolve(fault.Target);
                if (!CanPlace(fault.Keyword, links))
                {
                    return false;
                }

                network.Add((fault, links, End(fault)));
                return true;
            case KillFault kill:
                if (!IsRunning(kill.Node) || (kill.For is null && kill.Node != Primary))
                {
                    return false;
                }

                downUntil[kill.Node] = End(kill);
                return true;
            case PauseFault pause:
                if (!IsRunning(pause.Node))
                {
                    return false;
                }

                pausedUntil[pause.Node] = End(pause);
                return true;
            case RestartFault restart:
                return IsRunning(restart.Node);
            case PromoteAction promote:
                return Promote(promote.Node);
            case RejoinAction rejoin:
                // pg_rewind reads from the current primary, which must be up and not paused.
                if (!IsDeposed(rejoin.Node) || !IsRunning(Primary))
                {
                    return false;
                }

                upstream[rejoin.Node] = Primary;
                downUntil.Remove(rejoin.Node);
                return true;
            case HealAction:
                network.Clear();
                pausedUntil.Clear();
                return true;
            case WaitConvergedAction:
                return !HasHealable;
            default:
                return false;
        }
    }

    private bool Promote(string node)
    {
        if (!RunningReplicas.Contains(node) || !downUntil.TryGetValue(Primary, out var until) || until != Forever)
        {
            return false;
        }

        foreach (var replica in nodes.Where(n => upstream[n] is not null))
        {
            upstream[replica] = node;
        }

        upstream[node] = null;
        Primary = node;
        return true;
    }

    private bool IsRunning(string node) => Running.Contains(node);

    private bool IsDeposed(string node) => node != Primary && upstream[node] is null;

    private static TimeSpan End(FaultStep fault) => fault.For is { } length ? fault.At + length : Forever;
}
