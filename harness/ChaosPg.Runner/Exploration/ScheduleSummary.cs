using System.Globalization;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Exploration;

/// <summary>One-line descriptions of schedules for progress lines: <c>latency replica1-&gt;primary 500ms @1.2s for 2s; kill primary @4s</c>.</summary>
public static class ScheduleSummary
{
    /// <summary>Every step, separated by "; ".</summary>
    public static string Of(IEnumerable<ScheduleStep> steps) => string.Join("; ", steps.Select(Of));

    /// <summary>One step: keyword, target, parameters, time and length.</summary>
    public static string Of(ScheduleStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var target = step switch
        {
            FaultStep fault => " " + fault.Target,
            PromoteAction promote => " " + promote.Node,
            RejoinAction rejoin => " " + rejoin.Node,
            _ => string.Empty,
        };
        var parameters = step switch
        {
            LatencyFault latency => $" {DurationText.Format(latency.Latency)}"
                + (latency.Jitter > TimeSpan.Zero ? $"±{DurationText.Format(latency.Jitter)}" : string.Empty)
                + (latency.Direction == LatencyDirection.Both ? string.Empty : " " + latency.Direction.ToString().ToLowerInvariant()),
            BandwidthFault bandwidth => string.Create(CultureInfo.InvariantCulture, $" {bandwidth.RateKilobytesPerSecond}KB/s"),
            _ => string.Empty,
        };
        var length = step is FaultStep { For: { } span } ? " for " + DurationText.Format(span) : string.Empty;
        return $"{step.Keyword}{target}{parameters} @{Seconds(step.At)}{length}";
    }

    private static string Seconds(TimeSpan at) => at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
