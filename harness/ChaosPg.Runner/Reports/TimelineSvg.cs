using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Reports;

/// <summary>The run's events as labelled bands, one lane per target (node, link or cluster), on the charts' time axis.</summary>
internal static class TimelineSvg
{
    private const int LaneHeight = 24;
    private const int Top = 8;
    private const int LabelWidth = SvgChart.Left;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(ImmutableArray<RecordedEvent> events, long endMicros)
    {
        var lanes = events.Select(e => e.Target).Distinct(StringComparer.Ordinal).ToList();
        var plotWidth = SvgChart.Width - SvgChart.Left - SvgChart.Right;
        var height = Top + (Math.Max(1, lanes.Count) * LaneHeight) + 26;
        var xMax = endMicros > 0 ? endMicros / 1_000_000.0 : 1;
        double X(long micros) => SvgChart.Left + (Math.Clamp(micros / 1_000_000.0, 0, xMax) / xMax * plotWidth);

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"chart timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SvgChart.Width} {height}\" role=\"img\" aria-label=\"timeline of faults and actions\">");
        for (var i = 0; i < lanes.Count; i++)
        {
            var y = Top + (i * LaneHeight);
            svg.Append(Inv, $"<rect x=\"{SvgChart.Left}\" y=\"{y}\" width=\"{plotWidth}\" height=\"{LaneHeight - 2}\" class=\"lane\"/>");
            svg.Append(Inv, $"<text x=\"{LabelWidth - 6}\" y=\"{y + 15}\" class=\"yt\">{Html.Text(lanes[i])}</text>");
        }

        foreach (var e in events)
        {
            var lane = lanes.IndexOf(e.Target);
            var y = Top + (lane * LaneHeight) + 2;
            var x0 = X(e.StartMicros);
            var x1 = X(e.EndMicros ?? endMicros);
            var w = Math.Max(3, x1 - x0);
            var label = Html.Word(e.Kind);
            var color = EventPalette.ColorOf(e.Kind);
            var tip = EventPalette.Label(e) + $": {Html.Seconds(e.StartMicros)} – {(e.EndMicros is { } end ? Html.Seconds(end) : "never ended")}{(e.Ok == false ? " FAILED" : string.Empty)}";
            svg.Append(Inv, $"<g><title>{Html.Text(tip)}</title><rect x=\"{SvgChart.F(x0)}\" y=\"{y}\" width=\"{SvgChart.F(w)}\" height=\"{LaneHeight - 6}\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"{color}\"{(e.Ok == false ? " stroke-dasharray=\"3 2\"" : string.Empty)}/>");
            var fits = w > (label.Length * 6.4) + 6;
            var textX = fits ? x0 + 4 : x0 + w + 3;
            svg.Append(Inv, $"<text x=\"{SvgChart.F(textX)}\" y=\"{y + 13}\" class=\"bl\">{Html.Text(label)}</text></g>");
        }

        if (lanes.Count == 0)
        {
            svg.Append(Inv, $"<text x=\"{SvgChart.Left + (plotWidth / 2)}\" y=\"{Top + 15}\" class=\"empty\">no faults or actions recorded</text>");
        }

        SvgChart.AppendTimeAxis(svg, xMax, plotWidth, Top + (Math.Max(1, lanes.Count) * LaneHeight));
        svg.Append("</svg>");
        return svg.ToString();
    }
}
