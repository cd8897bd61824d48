using ChaosPg.Cluster.Managers.Common;
using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// Writes the role changes a manager's observer sees into the run's history, as they are seen. A server that left
/// recovery is a <c>promote</c> event on that node (by the manager), so the checkers judge the manager's promotions
/// as they judge the harness's own; every other change (leader changed, lock lost, demoted, timeline, maintenance) is
/// a <c>role-change</c> event with its evidence. Each is an instant: it starts and ends when it was observed, a
/// promotion when the poll before it last saw the server in recovery (the earliest it can have happened).
/// </summary>
public static class ManagerEventRecorder
{
    /// <summary>Records <paramref name="change"/> in <paramref name="history"/>.</summary>
    public static void Record(HistoryWriter history, RoleChange change, string manager = "patroni")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(change);
        var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        parameters["by"] = manager;
        parameters["change"] = Kebab(change.Kind);
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

        var kind = change.Kind == RoleChangeKind.Promoted ? EventKind.Promote : EventKind.RoleChange;
        // A promotion is stamped when the poll before it still saw the server in recovery: the clients may reach the
        // promoted server before the next poll does, and a write it acknowledged must never seem to precede its promotion.
        long? at = null;
        if (change.NotBefore is { } notBefore)
        {
            parameters["not-before"] = notBefore.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            at = Math.Max(0, history.ElapsedMicros - (long)(DateTimeOffset.UtcNow - notBefore).TotalMicroseconds);
        }

        var started = history.StartEvent(kind, change.Node ?? "cluster", parameters.ToImmutable(), at);
        history.EndEvent(started.EventId, atMicros: at);
    }

    private static string Kebab(RoleChangeKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
