using System.Globalization;
using System.Text;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// A time-series line chart as inline SVG, with fault bands shaded behind the lines. Hand-written rather than drawn
/// by a plotting library so the report needs no native graphics or fonts and every chart shares one time axis.
/// </summary>
internal sealed class SvgChart(string title, string unit, double endSeconds)
{
    public const int Width = 1000;
    public const int Left = 120;
    public const int Right = 20;
    private const int Top = 28;
    private const int Bottom = 30;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly List<ChartSeries> series = [];
    private readonly List<ChartBand> bands = [];

    public void Add(ChartSeries line) => series.Add(line);

    public void AddBands(IEnumerable<ChartBand> spans) => bands.AddRange(spans);

    public string Render(int height = 220)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        var xMax = endSeconds > 0 ? endSeconds : 1;
        var yMaxData = series.SelectMany(s => s.Points).Select(p => p.Y).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var yStep = NiceStep(yMaxData <= 0 ? 1 : yMaxData / 4);
        var yMax = Math.Max(yStep, Math.Ceiling(yMaxData / yStep) * yStep);
        double X(double s) => Left + (Math.Clamp(s, 0, xMax) / xMax * plotWidth);
        double Y(double v) => Top + plotHeight - (Math.Clamp(v, 0, yMax) / yMax * plotHeight);

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Html.Text(title)}\">");
        svg.Append(Inv, $"<text x=\"{Left}\" y=\"16\" class=\"ct\">{Html.Text(title)}</text>");
        foreach (var band in bands)
        {
            var x0 = X(band.StartSeconds);
            var w = Math.Max(3, X(band.EndSeconds) - x0);
            svg.Append(Inv, $"<rect x=\"{F(x0)}\" y=\"{Top}\" width=\"{F(w)}\" height=\"{plotHeight}\" fill=\"{band.Color}\" fill-opacity=\"0.15\"><title>{Html.Text(band.Label)}</title></rect>");
        }

        for (var v = 0.0; v <= yMax + (yStep / 2); v += yStep)
        {
            svg.Append(Inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" class=\"grid\"/>");
            svg.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{F(Y(v) + 4)}\" class=\"yt\">{Html.Text(Short(v))}</text>");
        }

        AppendTimeAxis(svg, xMax, plotWidth, Top + plotHeight);
        var unitX = Left - 52;
        svg.Append(Inv, $"<text x=\"{unitX}\" y=\"{F(Top + (plotHeight / 2.0))}\" class=\"yl\" transform=\"rotate(-90 {unitX} {F(Top + (plotHeight / 2.0))})\">{Html.Text(unit)}</text>");
        foreach (var line in series)
        {
            var path = new StringBuilder();
            var pen = 'M';
            foreach (var (x, y) in line.Points)
            {
                if (!double.IsFinite(y))
                {
                    pen = 'M';
                    continue;
                }

                path.Append(Inv, $"{pen}{F(X(x))} {F(Y(y))}");
                pen = 'L';
            }

            if (path.Length > 0)
            {
                svg.Append(Inv, $"<path d=\"{path}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"1.6\"{(line.Dashed ? " stroke-dasharray=\"5 3\"" : string.Empty)}><title>{Html.Text(line.Name)}</title></path>");
            }
        }

        var legendX = (double)Width - Right;
        foreach (var line in Enumerable.Reverse(series))
        {
            legendX -= 24 + (line.Name.Length * 6.6);
            svg.Append(Inv, $"<line x1=\"{F(legendX)}\" x2=\"{F(legendX + 18)}\" y1=\"13\" y2=\"13\" stroke=\"{line.Color}\" stroke-width=\"3\"{(line.Dashed ? " stroke-dasharray=\"5 3\"" : string.Empty)}/><text x=\"{F(legendX + 22)}\" y=\"17\" class=\"lg\">{Html.Text(line.Name)}</text>");
            legendX -= 8;
        }

        if (series.All(s => s.Points.IsEmpty))
        {
            svg.Append(Inv, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Top + (plotHeight / 2)}\" class=\"empty\">no data</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Ticks and labels of the shared time axis (seconds since run start) along <paramref name="y"/>.</summary>
    public static void AppendTimeAxis(StringBuilder svg, double xMax, double plotWidth, double y)
    {
        ArgumentNullException.ThrowIfNull(svg);
        var step = NiceStep(xMax / 10);
        svg.Append(Inv, $"<line x1=\"{Left}\" x2=\"{F(Left + plotWidth)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" class=\"axis\"/>");
        for (var t = 0.0; t <= xMax + (step / 1000); t += step)
        {
            var x = Left + (t / xMax * plotWidth);
            svg.Append(Inv, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(y)}\" y2=\"{F(y + 4)}\" class=\"axis\"/><text x=\"{F(x)}\" y=\"{F(y + 16)}\" class=\"xt\">{Html.Text(Short(t))}s</text>");
        }
    }

    /// <summary>A 1, 2 or 5 times a power of ten at least <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }

    public static string F(double value) => value.ToString("0.#", Inv);

    private static string Short(double value) =>
        Math.Abs(value) >= 1_000_000 ? (value / 1_000_000).ToString("0.##", Inv) + "M"
        : Math.Abs(value) >= 10_000 ? (value / 1_000).ToString("0.##", Inv) + "k"
        : value.ToString("0.###", Inv);
}
