using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Every other node must end as a reachable replica holding exactly the final primary's rows (same write-id multiset,
/// same digest when both have one) with its replay LSN at or past the primary's current LSN (when both are known).
/// A node the history mentions but no snapshot covers has not converged either, unless the schedule left it down (a
/// kill that never ended, with no restart or rejoin after it): such a node is counted in leftDown, not judged. With no
/// node left to judge (every other node left down) convergence was not tested: unknown, never valid. Also
/// measures the time from the end of the last heal to the converged event.
/// </summary>
/// <remarks>
/// Counts: replicas, converged, diverged, leftDown, waitConvergedFailed. Figures: convergenceMs (last heal end to the last
/// converged event, or to the end of the last successful wait-converged).
/// </remarks>
public sealed class ConvergenceChecker : IChecker
{
    private const int MaxListedIds = 20;

    public string Name => "convergence";

    public CheckerResult Check(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.History;
        var state = context.FinalState;
        var figures = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var countsOut = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        MeasureConvergenceTime(history, figures, countsOut);

        var primaryRows = context.RowsOf(state.FinalPrimary);
        if (primaryRows is null)
        {
            return new CheckerResult(
                Name,
                Verdict.Unknown,
                $"final primary {state.FinalPrimary} has no reachable snapshot: convergence cannot be judged",
                countsOut.ToImmutable(),
                figures.ToImmutable(),
                []);
        }

        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        long replicas = 0, converged = 0;
        var leftDown = LeftDown(history);
        var excused = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in state.Nodes.OrderBy(n => n.Node, StringComparer.Ordinal))
        {
            if (string.Equals(snapshot.Node, state.FinalPrimary, StringComparison.Ordinal))
            {
                continue;
            }

            if (leftDown.Contains(snapshot.Node) && context.RowsOf(snapshot.Node) is null)
            {
                excused.Add(snapshot.Node);
                continue;
            }

            replicas++;
            var problem = Compare(context, primaryRows, snapshot, out var details);
            if (problem is null)
            {
                converged++;
            }
            else
            {
                evidence.Add(Evidence.ForNode(history, snapshot.Node, snapshot.Node, state.AtMicros, problem, details));
            }
        }

        foreach (var node in history.Nodes)
        {
            if (!string.Equals(node, state.FinalPrimary, StringComparison.Ordinal) && state.Find(node) is null)
            {
                if (leftDown.Contains(node))
                {
                    excused.Add(node);
                    continue;
                }

                replicas++;
                evidence.Add(Evidence.ForNode(history, node, node, state.AtMicros, $"{node} appears in the history but has no snapshot", null));
            }
        }

        countsOut["replicas"] = replicas;
        countsOut["converged"] = converged;
        countsOut["diverged"] = replicas - converged;
        countsOut["leftDown"] = excused.Count;
        if (replicas == 0)
        {
            return new CheckerResult(
                Name,
                Verdict.Unknown,
                $"no replica left to compare with final primary {state.FinalPrimary}: convergence was not tested"
                    + (excused.Count == 0 ? string.Empty : $" (left down by the schedule: {string.Join(", ", excused)})"),
                countsOut.ToImmutable(),
                figures.ToImmutable(),
                evidence.ToImmutable());
        }

        var verdict = converged == replicas ? Verdict.Valid : Verdict.Invalid;
        var time = (figures.TryGetValue("convergenceMs", out var ms) ? string.Create(CultureInfo.InvariantCulture, $" {ms:0.#} ms after the last heal") : string.Empty)
            + (excused.Count == 0 ? string.Empty : $"; left down by the schedule (killed, never restarted): {string.Join(", ", excused)}");
        var summary = verdict == Verdict.Valid
            ? string.Create(CultureInfo.InvariantCulture, $"{replicas} replicas match final primary {state.FinalPrimary}{time}")
            : string.Create(CultureInfo.InvariantCulture, $"{replicas - converged} of {replicas} replicas differ from final primary {state.FinalPrimary}: {string.Join(", ", evidence.Select(e => e.Node))}");
        return new CheckerResult(Name, verdict, summary, countsOut.ToImmutable(), figures.ToImmutable(), evidence.ToImmutable());
    }

    private static string? Compare(CheckContext context, NodeRows primaryRows, NodeSnapshot snapshot, out ImmutableSortedDictionary<string, string> details)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var rows = context.RowsOf(snapshot.Node);
        if (rows is null)
        {
            if (snapshot.Error is not null)
            {
                builder["error"] = snapshot.Error;
            }

            details = builder.ToImmutable();
            return $"{snapshot.Node} was not reachable at the end of the run";
        }

        var problems = new List<string>();
        if (snapshot.Role == NodeRole.Primary)
        {
            problems.Add("is still a primary");
        }

        var writes = context.History.Writes;
        var missing = new List<string>();
        var extra = new List<string>();
        long missingCount = 0, extraCount = 0;
        // Nodes holding the same rows in the same order share one counts array: nothing to compare then.
        if (primaryRows.Counts != rows.Counts)
        {
            for (var i = 0; i < writes.Length; i++)
            {
                var difference = primaryRows.Counts[i] - rows.Counts[i];
                if (difference > 0)
                {
                    missingCount += difference;
                    AddListed(missing, writes[i].WriteId!);
                }
                else if (difference < 0)
                {
                    extraCount -= difference;
                    AddListed(extra, writes[i].WriteId!);
                }
            }
        }

        foreach (var id in primaryRows.UnknownIds.Keys.Union(rows.UnknownIds.Keys))
        {
            var difference = primaryRows.UnknownIds.GetValueOrDefault(id) - rows.UnknownIds.GetValueOrDefault(id);
            if (difference > 0)
            {
                missingCount += difference;
                AddListed(missing, id);
            }
            else if (difference < 0)
            {
                extraCount -= difference;
                AddListed(extra, id);
            }
        }

        if (missingCount > 0)
        {
            problems.Add(Micros.Text(missingCount) + " rows missing");
            builder["missingRows"] = Micros.Text(missingCount);
            builder["missingIds"] = string.Join(",", missing);
        }

        if (extraCount > 0)
        {
            problems.Add(Micros.Text(extraCount) + " rows not on the primary");
            builder["extraRows"] = Micros.Text(extraCount);
            builder["extraIds"] = string.Join(",", extra);
        }

        var primary = primaryRows.Snapshot;
        if (primary.Digest is not null && snapshot.Digest is not null && !string.Equals(primary.Digest, snapshot.Digest, StringComparison.Ordinal))
        {
            problems.Add("row digest differs");
            builder["digest"] = snapshot.Digest;
            builder["primaryDigest"] = primary.Digest;
        }

        if ((primary.CurrentLsn ?? primary.FlushLsn) is { } target && snapshot.ReplayLsn is { } replay && replay < target)
        {
            problems.Add($"replay LSN {replay} behind primary {target}");
            builder["replayLsn"] = replay.ToString();
            builder["primaryLsn"] = target.ToString();
        }

        details = builder.ToImmutable();
        return problems.Count == 0 ? null : $"{snapshot.Node} {string.Join("; ", problems)}";
    }

    private static void AddListed(List<string> list, string id)
    {
        if (list.Count < MaxListedIds)
        {
            list.Add(id);
        }
    }

    // A node killed without a for and never restarted or rejoined is down by design: the schedule took it out of the
    // cluster, so it has nothing to converge with. Its kill event is the one that never ends.
    private static HashSet<string> LeftDown(History history)
    {
        var down = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in history.Events.OrderBy(e => e.StartMicros))
        {
            if (e.Kind == EventKind.Kill && e.EndMicros is null)
            {
                down.Add(e.Target);
            }
            else if (e.Kind is EventKind.Restart or EventKind.Rejoin)
            {
                down.Remove(e.Target);
            }
        }

        return down;
    }

    private static void MeasureConvergenceTime(
        History history,
        ImmutableSortedDictionary<string, double>.Builder figures,
        ImmutableSortedDictionary<string, long>.Builder counts)
    {
        long? healEnd = null, convergedAt = null;
        long waitFailed = 0;
        foreach (var e in history.Events)
        {
            switch (e.Kind)
            {
                case EventKind.Heal when e.EndMicros is { } end:
                    healEnd = Math.Max(healEnd ?? end, end);
                    break;
                case EventKind.Converged:
                    convergedAt = Math.Max(convergedAt ?? e.StartMicros, e.StartMicros);
                    break;
                case EventKind.WaitConverged when e.Ok == false:
                    waitFailed++;
                    break;
                default:
                    break;
            }
        }

        if (convergedAt is null)
        {
            foreach (var e in history.Events)
            {
                if (e.Kind == EventKind.WaitConverged && e.Ok == true && e.EndMicros is { } end)
                {
                    convergedAt = Math.Max(convergedAt ?? end, end);
                }
            }
        }

        counts["waitConvergedFailed"] = waitFailed;
        if (healEnd is { } heal && convergedAt is { } at && at >= heal)
        {
            figures["convergenceMs"] = Micros.ToMs(at - heal);
        }
    }
}
