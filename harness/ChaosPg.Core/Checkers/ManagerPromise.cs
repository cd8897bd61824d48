using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Whether each of an HA manager's promotions kept what its configuration promises about acknowledged writes. With
/// <c>synchronous-mode</c> <c>strict</c> (or <c>on</c>) the promise is that none is lost. Asynchronous, the manager
/// promises only to pick a node at most <c>maximum-lag-on-failover</c> bytes behind: the WAL a failover may lose is
/// estimated as the promoted node's replay lag in the last pg_stat_replication sample before the change (an
/// undercount: WAL the old leader wrote after that sample is not in it). Writes acknowledged after the promotion by
/// another node (a deposed leader that kept accepting writes), and writes the promoted node itself acknowledged (lost
/// when a leader that came back took over again), are beyond any promise.
/// </summary>
internal static class ManagerPromise
{
    /// <summary>The id of each promotion's evidence item.</summary>
    public const string EvidenceId = "manager-promise";

    /// <summary>The promotions' evidence, how many broke their promise, and one summary line per promotion; empty without a manager promotion.</summary>
    public static (ImmutableArray<Evidence> Evidence, int Broken, ImmutableArray<string> Summaries) Judge(History history, IReadOnlyList<Operation> lost)
    {
        var promotions = history.Events
            .Where(e => e.Kind == EventKind.Promote && ManagerEventParameters.IsManagerDecision(e) && e.Ok != false)
            .OrderBy(e => e.StartMicros)
            .ToList();
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        var summaries = ImmutableArray.CreateBuilder<string>();
        var broken = 0;
        for (var i = 0; i < promotions.Count; i++)
        {
            var p = promotions[i];
            var since = i == 0 ? long.MinValue : promotions[i - 1].StartMicros;
            var until = i + 1 < promotions.Count ? promotions[i + 1].StartMicros : long.MaxValue;
            // By who acknowledged them, not only when: the promotion is seen a poll after it happened, so the promoted
            // node may have acknowledged writes before its event. The old leader's writes before the promotion are
            // what a failover may lose; the promoted node's own writes, and a deposed leader's after it, are not.
            var before = lost.Count(w => w.EndMicros > since && w.EndMicros <= p.StartMicros && w.Node != p.Target);
            var after = lost.Count(w => w.EndMicros > p.StartMicros && w.EndMicros <= until && w.Node != p.Target)
                + lost.Count(w => w.EndMicros > since && w.EndMicros <= until && w.Node == p.Target);
            var (held, promise, why) = Assess(p, before, after);
            if (held == false)
            {
                broken++;
            }

            var details = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            details["promoted"] = p.Target;
            details["promise"] = promise;
            details["held"] = held switch { true => "true", false => "false", null => "unknown" };
            details["lostAcknowledgedBefore"] = Micros.Text(before);
            details["lostBeyondThePromise"] = Micros.Text(after);
            foreach (var key in (string[])[ManagerEventParameters.LagBytes, ManagerEventParameters.LagMs, ManagerEventParameters.ManagerLagBytes, ManagerEventParameters.MostAdvanced, ManagerEventParameters.ReplicaLags, ManagerEventParameters.LagSource])
            {
                if (p.Parameters.TryGetValue(key, out var value))
                {
                    details[key] = value;
                }
            }

            var line = $"{p.Parameters[ManagerEventParameters.By]} promoted {p.Target} at {Micros.Seconds(p.StartMicros)} {Behind(p)}: {promise} {held switch { true => "held", false => "broken", null => "cannot be told" }} ({why})";
            summaries.Add(line);
            evidence.Add(Evidence.ForNode(history, EvidenceId, p.Target, p.StartMicros, line, details.ToImmutable()));
        }

        return (evidence.ToImmutable(), broken, summaries.ToImmutable());
    }

    private static (bool? Held, string Promise, string Why) Assess(RecordedEvent p, int before, int after)
    {
        var mode = p.Parameters.GetValueOrDefault(ManagerEventParameters.SynchronousMode);
        var afterText = after == 0 ? string.Empty : $"; {after} acknowledged by the promoted node itself or, after the promotion, by another node (a deposed leader still accepting writes, or a leader that came back)";
        if (mode is "strict" or "on")
        {
            var promise = $"the promise of synchronous-mode {mode} (no acknowledged write lost)";
            return before + after == 0
                ? (true, promise, "no acknowledged write lost")
                : (false, promise, $"{before} acknowledged before the promotion lost{afterText}");
        }

        if (mode is null)
        {
            return (null, "the manager's promise", "its synchronous mode was not recorded");
        }

        var maxLag = long.TryParse(p.Parameters.GetValueOrDefault(ManagerEventParameters.MaximumLagOnFailover), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : (long?)null;
        var bound = maxLag is { } b ? $"at most maximum-lag-on-failover {Micros.Text(b)} bytes" : "at most maximum-lag-on-failover (not recorded)";
        var asyncPromise = $"the asynchronous promise (loss bounded by a candidate {bound} behind)";
        if (after > 0)
        {
            return (false, asyncPromise, $"{before} acknowledged before the promotion lost{afterText}");
        }

        var lag = long.TryParse(p.Parameters.GetValueOrDefault(ManagerEventParameters.LagBytes), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : (long?)null;
        if (lag is null || maxLag is null)
        {
            return (null, asyncPromise, $"{before} acknowledged writes lost; the promoted node's lag is not known");
        }

        return lag <= maxLag
            ? (true, asyncPromise, $"{before} acknowledged writes lost, within an estimated {Micros.Text(lag.Value)} bytes of WAL (the promoted node's replay lag in the last sample before the change; WAL written after that sample is not counted)")
            : (false, asyncPromise, $"the promoted node was an estimated {Micros.Text(lag.Value)} bytes behind, more than the bound; {before} acknowledged writes lost");
    }

    private static string Behind(RecordedEvent p) =>
        p.Parameters.TryGetValue(ManagerEventParameters.LagBytes, out var bytes)
            ? $"{bytes} bytes behind{(p.Parameters.TryGetValue(ManagerEventParameters.MostAdvanced, out var most) ? most == "true" ? ", the most advanced replica" : ", not the most advanced replica" : string.Empty)}"
            : "with its lag unknown";
}
