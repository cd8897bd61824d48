using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// The run's events as labelled bands, one lane per target (node, link or cluster), on the charts' time axis. Events
/// whose bands or labels would overlap in a lane are stacked on separate tracks of that lane. An HA manager's decisions
/// get a lane of their own (<c>patroni decisions</c>), labelled with what changed and on which node, apart from the
/// harness's faults and actions.
/// </summary>
internal static class TimelineSvg
{
    private const int TrackHeight = 20;
    private const int LanePadding = 4;
    private const int Top = 6;
    private const double CharWidth = 6.2;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(ImmutableArray<RecordedEvent> events, long endMicros)
    {
        var plotWidth = SvgChart.Width - SvgChart.Left - SvgChart.Right;
        var plotEnd = SvgChart.Left + plotWidth;
        var xMax = endMicros > 0 ? endMicros / 1_000_000.0 : 1;
        double X(long micros) => SvgChart.Left + (Math.Clamp(micros / 1_000_000.0, 0, xMax) / xMax * plotWidth);

        // Lay out: each event gets a band, a label (inside when it fits, else beside it) and the first free track of its lane.
        var lanes = new List<(string Target, List<double> TrackEnds, List<(RecordedEvent Event, int Track, double X0, double W, double LabelX, bool LabelLeft)> Items)>();
        foreach (var e in events)
        {
            var laneName = LaneOf(e);
            var lane = lanes.FindIndex(l => l.Target == laneName);
            if (lane < 0)
            {
                lanes.Add((laneName, [], []));
                lane = lanes.Count - 1;
            }

            var x0 = X(e.StartMicros);
            var w = Math.Max(3, X(e.EndMicros ?? endMicros) - x0);
            var labelWidth = (Word(e).Length * CharWidth) + 6;
            double labelX, from, to;
            var left = false;
            if (w >= labelWidth)
            {
                (labelX, from, to) = (x0 + 4, x0, x0 + w);
            }
            else if (x0 + w + labelWidth <= plotEnd + SvgChart.Right)
            {
                (labelX, from, to) = (x0 + w + 3, x0, x0 + w + labelWidth);
            }
            else
            {
                left = true;
                (labelX, from, to) = (x0 - 3, x0 - labelWidth, x0 + w);
            }

            var tracks = lanes[lane].TrackEnds;
            var track = tracks.FindIndex(end => end <= from);
            if (track < 0)
            {
                tracks.Add(0);
                track = tracks.Count - 1;
            }

            tracks[track] = to + 2;
            lanes[lane].Items.Add((e, track, x0, w, labelX, left));
        }

        var laneTops = new List<int>();
        var y = Top;
        foreach (var lane in lanes)
        {
            laneTops.Add(y);
            y += (lane.TrackEnds.Count * TrackHeight) + LanePadding;
        }

        var axisY = Math.Max(y, Top + TrackHeight + LanePadding);
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"chart timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SvgChart.Width} {axisY + 24}\" role=\"img\" aria-label=\"timeline of faults and actions\">");
        for (var i = 0; i < lanes.Count; i++)
        {
            var height = (lanes[i].TrackEnds.Count * TrackHeight) + LanePadding - 2;
            svg.Append(Inv, $"<rect x=\"{SvgChart.Left}\" y=\"{laneTops[i]}\" width=\"{plotWidth}\" height=\"{height}\" class=\"lane\"/>");
            svg.Append(Inv, $"<text x=\"{SvgChart.Left - 6}\" y=\"{laneTops[i] + 15}\" class=\"yt\">{Html.Text(lanes[i].Target)}</text>");
            foreach (var (e, track, x0, w, labelX, labelLeft) in lanes[i].Items)
            {
                var top = laneTops[i] + 2 + (track * TrackHeight);
                var color = EventPalette.ColorOf(e);
                var tip = EventPalette.Label(e) + $": {Html.Seconds(e.StartMicros)} – {(e.EndMicros is { } end ? Html.Seconds(end) : "never ended")}{(e.Ok == false ? " FAILED: " + e.Error : string.Empty)}";
                svg.Append(Inv, $"<g><title>{Html.Text(tip)}</title><rect x=\"{SvgChart.F(x0)}\" y=\"{top}\" width=\"{SvgChart.F(w)}\" height=\"{TrackHeight - 4}\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"{color}\"{(e.Ok == false ? " stroke-dasharray=\"3 2\"" : string.Empty)}/>");
                svg.Append(Inv, $"<text x=\"{SvgChart.F(labelX)}\" y=\"{top + 12}\" class=\"bl\"{(labelLeft ? " text-anchor=\"end\"" : string.Empty)}>{Html.Text(Word(e))}</text></g>");
            }
        }

        if (lanes.Count == 0)
        {
            svg.Append(Inv, $"<text x=\"{SvgChart.Left + (plotWidth / 2)}\" y=\"{Top + 14}\" class=\"empty\">no faults or actions recorded</text>");
        }

        SvgChart.AppendTimeAxis(svg, xMax, plotWidth, axisY);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string LaneOf(RecordedEvent e) =>
        ManagerEventParameters.IsManagerDecision(e) ? $"{e.Parameters[ManagerEventParameters.By]} decisions" : e.Target;

    // A manager's decision says what changed on which node ("leader-changed replica1"); anything else its kind.
    private static string Word(RecordedEvent e) =>
        ManagerEventParameters.IsManagerDecision(e) && e.Parameters.TryGetValue(ManagerEventParameters.Change, out var change) ? $"{change} {e.Target}" : Html.Word(e.Kind);
}
