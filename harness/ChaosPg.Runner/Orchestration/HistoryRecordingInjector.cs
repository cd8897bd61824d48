using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Faults;
using ChaosPg.Runner.Scheduling;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// Records what the nemesis does as history events, on the history's own clock: a lasting fault spans from the start
/// of its apply to the end of its removal, an instantaneous fault or an action spans its call. A wait-converged that
/// runs out of time ends with ok=false; one that converges is followed by a <c>converged</c> event. A step with a
/// role target (<c>leader</c>, <c>replica</c>) is recorded against the node it resolved to, with <c>role</c> as a parameter.
/// </summary>
public sealed class HistoryRecordingInjector : IFaultInjector
{
    private readonly ClusterFaultInjector inner;
    private readonly HistoryWriter history;
    private readonly Action<string> onEvent;
    private readonly ConcurrentDictionary<int, (long EventId, string Text)> open = new();

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="onEvent"/> gets one line per event for progress displays.</summary>
    public HistoryRecordingInjector(ClusterFaultInjector inner, HistoryWriter history, Action<string> onEvent)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(onEvent);
        this.inner = inner;
        this.history = history;
        this.onEvent = onEvent;
    }

    /// <summary>The faults in place now, as "kind target".</summary>
    public ImmutableArray<string> ActiveFaults => [.. open.Values.Select(v => v.Text).Order(StringComparer.Ordinal)];

    public async Task ApplyAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        var fault = (FaultStep)plannedStep.Step;
        var started = Start(plannedStep);
        var text = Describe(plannedStep);
        if (fault.IsLasting)
        {
            open[plannedStep.Index] = (started.EventId, text);
        }

        try
        {
            await inner.ApplyAsync(plannedStep, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            open.TryRemove(plannedStep.Index, out _);
            history.EndEvent(started.EventId, ok: false, error: OneLine(e));
            onEvent($"failed {text}: {OneLine(e)}");
            throw;
        }

        if (!fault.IsLasting)
        {
            history.EndEvent(started.EventId);
        }

        onEvent((fault.IsLasting ? "applied " : "did ") + text);
    }

    public async Task RemoveAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        try
        {
            await inner.RemoveAsync(plannedStep, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (open.TryRemove(plannedStep.Index, out var failed))
            {
                history.EndEvent(failed.EventId, ok: false, error: "removing it failed: " + OneLine(e));
            }

            throw;
        }

        // An apply that failed has already ended its event; there is nothing more to record.
        if (open.TryRemove(plannedStep.Index, out var entry))
        {
            history.EndEvent(entry.EventId);
            onEvent("removed " + entry.Text);
        }
    }

    public async Task RunActionAsync(PlannedStep plannedStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        var started = Start(plannedStep);
        var text = Describe(plannedStep);
        try
        {
            await inner.RunActionAsync(plannedStep, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            history.EndEvent(started.EventId, ok: false, error: OneLine(e));
            onEvent($"failed {text}: {OneLine(e)}");
            throw;
        }

        if (plannedStep.Step is WaitConvergedAction && inner.LastConvergence is { } convergence)
        {
            if (convergence.Converged)
            {
                history.EndEvent(started.EventId);
                var converged = history.StartEvent(EventKind.Converged, "cluster");
                history.EndEvent(converged.EventId);
                onEvent("converged");
            }
            else
            {
                history.EndEvent(started.EventId, ok: false, error: convergence.Problem);
                onEvent($"not converged within {DurationText.Format(((WaitConvergedAction)plannedStep.Step).Deadline)}: {convergence.Problem}");
            }

            return;
        }

        history.EndEvent(started.EventId);
        onEvent("did " + text);
    }

    /// <summary>The history kind of a step, from its keyword (<c>terminate-backends</c> is TerminateBackends).</summary>
    private static EventKind KindOf(ScheduleStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Enum.Parse<EventKind>(step.Keyword.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
    }

    /// <summary>What a step targets as the history names it: a node, a link (role targets resolved), or "cluster".</summary>
    private string TargetOf(PlannedStep plannedStep) => plannedStep.Step switch
    {
        FaultStep { Target: LinkTarget link } => inner.Concrete(plannedStep, link.Link).ToString(),
        FaultStep { Target: NodeTarget node } => inner.Concrete(plannedStep, node.Node),
        PromoteAction promote => promote.Node,
        RejoinAction rejoin => rejoin.Node,
        FailoverAction failover => failover.Candidate,
        _ => "cluster",
    };

    /// <summary>The parameters a step carries, as history strings (durations as in scenario files).</summary>
    private ImmutableDictionary<string, string> ParametersOf(PlannedStep plannedStep)
    {
        ArgumentNullException.ThrowIfNull(plannedStep);
        var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        switch (plannedStep.Step)
        {
            case LatencyFault latency:
                parameters["latency"] = DurationText.Format(latency.Latency);
                parameters["jitter"] = DurationText.Format(latency.Jitter);
                parameters["direction"] = latency.Direction.ToString().ToLowerInvariant();
                break;
            case BandwidthFault bandwidth:
                parameters["rate"] = bandwidth.RateKilobytesPerSecond.ToString(CultureInfo.InvariantCulture);
                break;
            case WaitConvergedAction wait:
                parameters["deadline"] = DurationText.Format(wait.Deadline);
                break;
            case IsolateFault isolate:
                parameters["method"] = inner.IsolationMethod(inner.Concrete(plannedStep, isolate.Node));
                break;
            case KillFault { Process: { } process }:
                parameters["process"] = process.ToString().ToLowerInvariant();
                break;
            case PauseFault { Process: { } process }:
                parameters["process"] = process.ToString().ToLowerInvariant();
                break;
            case SwitchoverAction { Candidate: { } candidate }:
                parameters["candidate"] = candidate;
                break;
            case MaintenanceAction maintenance:
                parameters["state"] = maintenance.On ? "on" : "off";
                break;
            case LossFault loss:
                parameters["probability"] = loss.Probability.ToString("R", CultureInfo.InvariantCulture);
                parameters["direction"] = loss.Direction.ToString().ToLowerInvariant();
                break;
            case PartitionFault partition:
                parameters["direction"] = partition.Direction.ToString().ToLowerInvariant();
                break;
            default:
                break;
        }

        // Which mechanism applied a link fault (Toxiproxy or iptables/tc), so the history says what was really done.
        if (plannedStep.Step is FaultStep linkFault && inner.LinkMethod(linkFault) is { } method)
        {
            parameters["method"] = method;
        }

        if (plannedStep.Step is FaultStep { For: { } lasting })
        {
            parameters["for"] = DurationText.Format(lasting);
        }

        // Which role the scenario named, when the target is the node it resolved to.
        if (ClusterFaultInjector.RoleOf(plannedStep.Step) is { } role)
        {
            parameters["role"] = role;
        }

        // A link target names its link already; a node target or an action resolves to links worth recording.
        if (!plannedStep.Links.IsDefaultOrEmpty && plannedStep.Step is not FaultStep { Target: LinkTarget })
        {
            parameters["links"] = string.Join(",", plannedStep.Links.Select(link => inner.Concrete(plannedStep, link)));
        }

        return parameters.ToImmutable();
    }

    private EventStarted Start(PlannedStep plannedStep)
    {
        var parameters = ParametersOf(plannedStep);
        return history.StartEvent(KindOf(plannedStep.Step), TargetOf(plannedStep), parameters.IsEmpty ? null : parameters);
    }

    private string Describe(PlannedStep plannedStep) => $"{plannedStep.Step.Keyword} {TargetOf(plannedStep)}";

    private static string OneLine(Exception e) =>
        string.Join(' ', e.Message.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
