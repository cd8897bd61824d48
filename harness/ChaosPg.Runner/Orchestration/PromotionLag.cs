using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// How far behind the old leader a node was when a manager chose to promote it, from the last observation before the
/// change: the replay lag the old leader's pg_stat_replication gave for it (bytes and, when reported, time), the lag
/// the manager listed for it, and whether another replica was less behind. Written into the promote event's
/// parameters (<see cref="ManagerEventParameters"/>) so the report and the checkers rebuild it from the history alone.
/// </summary>
public static class PromotionLag
{
    /// <summary>The parameters for the promotion of <paramref name="promoted"/>, from <paramref name="round"/> (null: no sample was taken before the change).</summary>
    public static ImmutableDictionary<string, string> Describe(string promoted, ReplicationRound? round)
    {
        ArgumentNullException.ThrowIfNull(promoted);
        var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var sample = round?.Samples.FirstOrDefault(s => s.Node == promoted);
        if (round is null || sample is null)
        {
            parameters[ManagerEventParameters.LagSource] = round is null
                ? "no replication sample was taken before the change"
                : $"pg_stat_replication on {round.Primary} at {Micros.Seconds(round.AtMicros)} did not list {promoted}";
            AddManagerLag(parameters, promoted, round);
            return parameters.ToImmutable();
        }

        parameters[ManagerEventParameters.LagSource] = $"pg_stat_replication on {round.Primary} at {Micros.Seconds(round.AtMicros)}, the last sample before the change";
        parameters[ManagerEventParameters.LagSeenAtMicros] = Micros.Text(round.AtMicros);
        if (sample.ReplayLagBytes is { } bytes)
        {
            parameters[ManagerEventParameters.LagBytes] = Micros.Text(bytes);
        }

        if (sample.ReplayLagMs is { } ms)
        {
            parameters[ManagerEventParameters.LagMs] = ms.ToString("0.###", CultureInfo.InvariantCulture);
        }

        parameters[ManagerEventParameters.ReplicaLags] = string.Join(' ', round.Samples.Select(s => $"{s.Node}={(s.ReplayLagBytes is { } b ? Micros.Text(b) : "?")}"));
        var others = round.Samples.Where(s => s.Node != promoted && s.ReplayLagBytes is not null).ToList();
        if (sample.ReplayLagBytes is { } own)
        {
            // A replica the old leader no longer streamed to has no lag here: it counts as neither ahead nor behind.
            parameters[ManagerEventParameters.MostAdvanced] = others.All(s => s.ReplayLagBytes >= own) ? "true" : "false";
        }

        AddManagerLag(parameters, promoted, round);
        return parameters.ToImmutable();
    }

    private static void AddManagerLag(ImmutableDictionary<string, string>.Builder parameters, string promoted, ReplicationRound? round)
    {
        if (round?.View?[promoted]?.LagBytes is { } managerLag)
        {
            parameters[ManagerEventParameters.ManagerLagBytes] = Micros.Text(managerLag);
        }
    }
}
