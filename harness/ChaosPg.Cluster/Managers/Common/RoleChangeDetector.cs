using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Cluster.Managers.Common;

/// <summary>
/// Turns two successive observations of a managed cluster into role-change events. Pure: no I/O, no clock; the
/// poller carries unseen state forward (<see cref="ManagerObservation.CarryForward"/>) before calling it.
/// </summary>
public static class RoleChangeDetector
{
    /// <summary>The changes from <paramref name="previous"/> (null: the first observation) to <paramref name="current"/>, leader events first, then per node in name order.</summary>
    public static ImmutableArray<RoleChange> Detect(ManagerObservation? previous, ManagerObservation current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var changes = ImmutableArray.CreateBuilder<RoleChange>();
        var at = current.At;
        var (oldView, newView) = (previous?.Cluster, current.Cluster);
        if (newView is not null && (previous is null || oldView is not null))
        {
            var (from, to) = (oldView?.Leader, newView.Leader);
            if (from != to)
            {
                var evidence = $"{newView.Source}: leader {from ?? "none"} -> {to ?? "none"}";
                changes.Add((from, to) switch
                {
                    (null, { } elected) => new RoleChange(at, RoleChangeKind.LeaderElected, elected, null, elected, evidence),
                    ({ } lost, null) => new RoleChange(at, RoleChangeKind.LockLost, lost, lost, null, evidence),
                    _ => new RoleChange(at, RoleChangeKind.LeaderChanged, to, from, to, evidence),
                });
            }

            if (oldView is not null && oldView.Paused != newView.Paused)
            {
                changes.Add(new RoleChange(at, RoleChangeKind.MaintenanceChanged, null, Pause(oldView.Paused), Pause(newView.Paused), $"{newView.Source}: pause {Pause(oldView.Paused)} -> {Pause(newView.Paused)}"));
            }
        }

        if (previous is null)
        {
            return changes.ToImmutable();
        }

        foreach (var (node, now) in current.Servers.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!previous.Servers.TryGetValue(node, out var before))
            {
                continue;
            }

            if (before.InRecovery && !now.InRecovery)
            {
                changes.Add(new RoleChange(at, RoleChangeKind.Promoted, node, "replica", "primary", $"pg_is_in_recovery() on {node}: true -> false"));
            }
            else if (!before.InRecovery && now.InRecovery)
            {
                changes.Add(new RoleChange(at, RoleChangeKind.Demoted, node, "primary", "replica", $"pg_is_in_recovery() on {node}: false -> true"));
            }

            if (before.Timeline != now.Timeline)
            {
                changes.Add(new RoleChange(
                    at, RoleChangeKind.TimelineChanged, node, Text(before.Timeline), Text(now.Timeline), $"timeline on {node}: {before.Timeline} -> {now.Timeline}"));
            }
        }

        return changes.ToImmutable();
    }

    private static string Pause(bool paused) => paused ? "on" : "off";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
