using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// Writes the role changes a manager's observer sees into the run's history, as they are seen. A server that left
/// recovery is a <c>promote</c> event on that node (by the manager), so the checkers judge the manager's promotions
/// as they judge the harness's own; every other change (leader changed, lock lost, demoted, timeline, maintenance) is
/// a <c>role-change</c> event with its evidence. Each is an instant, recorded when it was observed (a promotion up to
/// a poll after it happened: the checkers place it no later than the promoted node's first acknowledged write). A promotion
/// also carries how far behind its node was when chosen (<see cref="PromotionLag"/>) and the manager's settings that
/// say what it promised (synchronous mode, maximum lag on failover).
/// </summary>
public static class ManagerEventRecorder
{
    /// <summary>
    /// Records <paramref name="change"/> in <paramref name="history"/> as decided by <paramref name="manager"/>;
    /// <paramref name="lastRoundBefore"/> gives, for a promotion, the last replication sample before it (null: none
    /// was taken), and <paramref name="settings"/> the manager's settings by their scenario keys.
    /// </summary>
    public static void Record(
        HistoryWriter history,
        RoleChange change,
        string manager,
        Func<string, ReplicationRound?>? lastRoundBefore = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(manager);
        var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        parameters[ManagerEventParameters.By] = manager;
        parameters[ManagerEventParameters.Change] = Kebab(change.Kind);
        parameters["evidence"] = change.Evidence;
        parameters["observed-at"] = change.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        if (change.From is { } from)
        {
            parameters["from"] = from;
        }

        if (change.To is { } to)
        {
            parameters["to"] = to;
        }

        var promoted = change.Kind == RoleChangeKind.Promoted && change.Node is not null;
        if (promoted)
        {
            parameters.AddRange(PromotionLag.Describe(change.Node!, lastRoundBefore?.Invoke(change.Node!)));
            foreach (var key in (string[])[ManagerEventParameters.SynchronousMode, ManagerEventParameters.MaximumLagOnFailover])
            {
                if (settings?.GetValueOrDefault(key) is { } value)
                {
                    parameters[key] = value;
                }
            }
        }

        // Recorded when observed, up to a poll after it happened. The clients may reach the promoted server before the
        // observer does; the checkers place the promotion no later than its first acknowledged write (PrimaryTimeline).
        long at = history.ElapsedMicros;
        var started = history.StartEvent(promoted ? EventKind.Promote : EventKind.RoleChange, change.Node ?? "cluster", parameters.ToImmutable(), at);
        history.EndEvent(started.EventId, atMicros: at);
    }

    private static string Kebab(RoleChangeKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
