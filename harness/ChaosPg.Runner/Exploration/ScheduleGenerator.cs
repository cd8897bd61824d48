using System.Collections.Immutable;
using ChaosPg.Core.Schedule;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// FsCheck generators of fault schedules that are valid by construction: moves are drawn one after another, each
/// from those the <see cref="ScheduleModel"/> allows at its time (links that exist, nodes that run, no overlapping
/// faults), every lasting fault ends before the closing heal or lasts until it, and the schedule always ends with
/// heal, the rejoins the property needs and wait-converged.
/// </summary>
public static class ScheduleGenerator
{
    private static readonly TimeSpan FirstStep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinRoom = TimeSpan.FromMilliseconds(300);
    private static readonly string[] LinkKinds = ["partition", "blackhole", "latency", "bandwidth", "reset"];
    private static readonly int[] LatenciesMs = [50, 100, 200, 500, 1000];
    private static readonly int[] WalLatenciesMs = [200, 500, 1000];
    private static readonly int[] RatesKilobytesPerSecond = [16, 64, 256, 1024];

    /// <summary>Schedules for <paramref name="options"/>: up to MaxSteps moves, then the closing heal (and rejoins) and wait-converged.</summary>
    public static Gen<ImmutableArray<ScheduleStep>> Schedule(ScheduleGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Moves(ScheduleModel.Start(options.Replicas), options, options.MaxSteps).Select(steps => Close(steps, options));
    }

    /// <summary>The schedule that <paramref name="seed"/> draws: the same seed and options always give the same schedule.</summary>
    public static ImmutableArray<ScheduleStep> Sample(ScheduleGeneratorOptions options, long seed) =>
        Schedule(options).Sample(options.MaxSteps, new Rnd(unchecked((ulong)seed)), 1)[0];

    private static Gen<ImmutableList<ScheduleStep>> Moves(ScheduleModel model, ScheduleGeneratorOptions options, int remaining)
    {
        if (remaining == 0)
        {
            return Gen.Constant(ImmutableList<ScheduleStep>.Empty);
        }

        return Gen.Choose(2, 15).SelectMany(gap =>
        {
            var at = Max(model.Now, FirstStep) + Ms(gap * 100);
            var here = model.Clone();
            here.AdvanceTo(at);
            var moves = Choices(here, options);
            if (at > options.HealAt - MinRoom || moves.Count == 0)
            {
                return Gen.Constant(ImmutableList<ScheduleStep>.Empty);
            }

            return Gen.Frequency(moves).SelectMany(steps =>
            {
                var next = Play(here, steps);
                return Moves(next, options, remaining - 1).Select(rest => rest.InsertRange(0, steps));
            });
        });
    }

    private static ImmutableArray<ScheduleStep> Close(ImmutableList<ScheduleStep> steps, ScheduleGeneratorOptions options)
    {
        var model = Play(ScheduleModel.Start(options.Replicas), steps);
        var rejoins = options.RequireAllNodesBack
            ? model.Deposed.Select(node => (ScheduleStep)new RejoinAction(options.HealAt, node))
            : [];
        return [.. steps, new HealAction(options.HealAt), .. rejoins, new WaitConvergedAction(options.HealAt, options.ConvergeDeadline)];
    }

    /// <summary>
    /// How many steps come before the closing block: the last heal, the rejoins after it (the convergence property
    /// brings every deposed primary back there, once the heal has resumed the primary) and the final wait-converged.
    /// </summary>
    public static int MoveCount(IReadOnlyList<ScheduleStep> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        for (int i = schedule.Count - 1; i >= 0; i--)
        {
            if (schedule[i] is HealAction)
            {
                return i;
            }
        }

        return schedule.Count;
    }

    private static ScheduleModel Play(ScheduleModel start, IEnumerable<ScheduleStep> steps)
    {
        var model = start.Clone();
        foreach (var step in steps)
        {
            model.AdvanceTo(step.At);
            if (!model.TryApply(step))
            {
                throw new InvalidOperationException($"The generator drew a step its model refuses: {ScheduleSummary.Of(step)}.");
            }
        }

        return model;
    }

    private static List<(int, Gen<ImmutableArray<ScheduleStep>>)> Choices(ScheduleModel model, ScheduleGeneratorOptions options)
    {
        var weights = options.Weights;
        var at = model.Now;
        var room = options.HealAt - at;
        var choices = new List<(int, Gen<ImmutableArray<ScheduleStep>>)>();
        void Add(int weight, Gen<ImmutableArray<ScheduleStep>>? move)
        {
            if (weight > 0 && move is not null)
            {
                choices.Add((weight, move));
            }
        }

        Add(weights.Network, NetworkFault(model, room));
        Add(weights.WalLatency, WalLatency(model, room));
        var running = model.Running.ToArray();
        if (running.Length > 0 && room >= Ms(500))
        {
            Add(weights.Kill, from node in Gen.Elements(running)
                              from length in Length(500, 3000, room)
                              select One(new KillFault(at, node, length)));
        }

        if (running.Length > 0)
        {
            Add(weights.Pause, from node in Gen.Elements(running)
                               from length in Lasting(300, 2000, room)
                               select One(new PauseFault(at, node, length)));
            Add(weights.Restart, Gen.Elements(running).Select(node => One(new RestartFault(at, node))));
        }

        var replicas = model.RunningReplicas.ToArray();
        if (running.Contains(model.Primary) && replicas.Length > 0 && room >= MinRoom)
        {
            var primary = model.Primary;
            Add(weights.Failover, from replica in Gen.Elements(replicas)
                                  from delay in Gen.Choose(0, (int)Math.Min(10, (room - MinRoom).TotalMilliseconds / 100))
                                  select ImmutableArray.Create<ScheduleStep>(new KillFault(at, primary), new PromoteAction(at + Ms(delay * 100), replica)));
        }

        var deposed = model.Deposed.ToArray();
        if (deposed.Length > 0 && running.Contains(model.Primary))
        {
            Add(weights.Rejoin, Gen.Elements(deposed).Select(node => One(new RejoinAction(at, node))));
        }

        if (model.HasHealable)
        {
            Add(weights.Heal, Gen.Constant(One(new HealAction(at))));
        }

        return choices;
    }

    private static Gen<ImmutableArray<ScheduleStep>>? NetworkFault(ScheduleModel model, TimeSpan room)
    {
        var at = model.Now;
        var placements = LinkKinds
            .SelectMany(kind => Targets(model, kind).Select(target => (Kind: kind, Target: target)))
            .ToArray();
        if (placements.Length == 0)
        {
            return null;
        }

        return from placement in Gen.Elements(placements)
               from length in Lasting(300, 3000, room)
               from latencyMs in Gen.Elements(LatenciesMs)
               from jitter in Gen.Elements(0, latencyMs / 5)
               from direction in Gen.Elements(LatencyDirection.Both, LatencyDirection.Upstream, LatencyDirection.Downstream)
               from rate in Gen.Elements(RatesKilobytesPerSecond)
               select One(placement.Kind switch
               {
                   "partition" => new PartitionFault(at, placement.Target, length),
                   "blackhole" => new BlackholeFault(at, placement.Target, length),
                   "latency" => new LatencyFault(at, ((LinkTarget)placement.Target).Link, Ms(latencyMs), Ms(jitter), direction, length),
                   "bandwidth" => new BandwidthFault(at, ((LinkTarget)placement.Target).Link, rate, length),
                   _ => (FaultStep)new ResetFault(at, ((LinkTarget)placement.Target).Link, length),
               });
    }

    private static Gen<ImmutableArray<ScheduleStep>>? WalLatency(ScheduleModel model, TimeSpan room)
    {
        var links = model.WalLinks.Where(link => model.CanPlace("latency", [link])).ToArray();
        if (links.Length == 0)
        {
            return null;
        }

        return from link in Gen.Elements(links)
               from latencyMs in Gen.Elements(WalLatenciesMs)
               from length in Lasting(1000, 5000, room)
               select One(new LatencyFault(model.Now, link, Ms(latencyMs), TimeSpan.Zero, LatencyDirection.Both, length));
    }

    // Node targets (every link of the node) for partition and blackhole; links for every kind.
    private static IEnumerable<FaultTarget> Targets(ScheduleModel model, string kind)
    {
        IEnumerable<FaultTarget> links = model.Links.Select(link => (FaultTarget)new LinkTarget(link));
        var targets = kind is "partition" or "blackhole" ? links.Concat(model.Nodes.Select(n => new NodeTarget(n))) : links;
        return targets.Where(target => model.CanPlace(kind, model.Resolve(target)));
    }

    // A for between min and max (100 ms steps) that ends by the closing heal.
    private static Gen<TimeSpan> Length(int minMs, int maxMs, TimeSpan room) =>
        Gen.Choose(minMs / 100, (int)Math.Min(maxMs, room.TotalMilliseconds) / 100).Select(n => Ms(n * 100));

    // Lasting faults also come without for (until the next heal) and must when no for fits before the closing heal.
    private static Gen<TimeSpan?> Lasting(int minMs, int maxMs, TimeSpan room) =>
        room.TotalMilliseconds < minMs
            ? Gen.Constant<TimeSpan?>(null)
            : Gen.Frequency((1, Gen.Constant<TimeSpan?>(null)), (3, Length(minMs, maxMs, room).Select(l => (TimeSpan?)l)));

    private static ImmutableArray<ScheduleStep> One(ScheduleStep step) => [step];

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
