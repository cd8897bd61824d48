using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Target;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// Polls a cluster whose roles someone else may change (a target) and records each change it sees as an event with
/// <c>observed=true</c>: a node that became primary as a promote, a primary that went into recovery as a rejoin.
/// A poll that fails is skipped: the observer never fails a run.
/// </summary>
public sealed class RoleChangeObserver : IAsyncDisposable
{
    /// <summary>Time between polls.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly IObservableRoles cluster;
    private readonly HistoryWriter history;
    private readonly Action<string> onEvent;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int disposed;

    private RoleChangeObserver(IObservableRoles cluster, HistoryWriter history, Action<string> onEvent)
    {
        this.cluster = cluster;
        this.history = history;
        this.onEvent = onEvent;
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>Starts observing <paramref name="cluster"/>; <paramref name="onEvent"/> gets one line per change.</summary>
    public static RoleChangeObserver Start(IObservableRoles cluster, HistoryWriter history, Action<string> onEvent)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(onEvent);
        return new RoleChangeObserver(cluster, history, onEvent);
    }

    /// <summary>Records <paramref name="change"/> as an instantaneous event.</summary>
    public static void Record(HistoryWriter history, ObservedRoleChange change)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(change);
        var parameters = ImmutableDictionary<string, string>.Empty
            .Add("observed", "true")
            .Add("timeline", change.Timeline.ToString(CultureInfo.InvariantCulture))
            .Add("previous-primary", change.PreviousPrimary);
        var started = history.StartEvent(change.IsPrimary ? EventKind.Promote : EventKind.Rejoin, change.Node, parameters);
        history.EndEvent(started.EventId);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            ImmutableArray<ObservedRoleChange> changes;
            try
            {
                changes = await cluster.ObserveRolesAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A poll lost to a fault (a paused node, a restart) is a gap, never a failed run.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                continue;
            }

            foreach (var change in changes)
            {
                Record(history, change);
                onEvent(change.IsPrimary
                    ? $"observed: {change.Node} became primary (timeline {change.Timeline}; was {change.PreviousPrimary})"
                    : $"observed: {change.Node} is in recovery (it was primary)");
            }
        }
    }
}
