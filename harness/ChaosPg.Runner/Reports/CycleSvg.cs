using System.Globalization;
using System.Text;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// A dependency cycle of the transactions checker as a small offline SVG: the transactions on a circle in cycle
/// order, each edge a curved arrow to the next labelled with its kind (ww, wr, rw, process, realtime). rw edges, the
/// anti-dependencies that separate G-single and G2 from G0 and G1c, are drawn red.
/// </summary>
internal static class CycleSvg
{
    private const double NodeWidth = 64;
    private const double NodeHeight = 22;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="transactions">Operation ids in cycle order, as the evidence's "txns" detail lists them.</param>
    /// <param name="edges">Edge kinds, edge i from transaction i to i+1 (the last back to the first).</param>
    public static string Render(IReadOnlyList<string> transactions, IReadOnlyList<string> edges)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(edges);
        var n = transactions.Count;
        var radius = n <= 2 ? 70 : 55 + (14 * n);
        var size = (2 * radius) + 110;
        var center = size / 2.0;
        var points = new (double X, double Y)[n];
        for (var i = 0; i < n; i++)
        {
            var angle = (-Math.PI / 2) + (2 * Math.PI * i / n) + (n == 2 ? Math.PI / 2 : 0);
            points[i] = (center + (radius * Math.Cos(angle)), center + (radius * Math.Sin(angle)));
        }

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cycle\" width=\"{size:0}\" height=\"{size:0}\" viewBox=\"0 0 {size:0} {size:0}\" role=\"img\" aria-label=\"dependency cycle\">");
        svg.Append("<defs>");
        foreach (var (name, color) in new[] { ("ww", "#555"), ("wr", "#1f6fb2"), ("rw", "#c0392b"), ("order", "#2e8b57") })
        {
            svg.Append(Inv, $"<marker id=\"cycle-arrow-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{color}\"/></marker>");
        }

        svg.Append("</defs>");
        for (var i = 0; i < n; i++)
        {
            var kind = i < edges.Count ? edges[i] : "?";
            var (color, marker, dash) = kind switch
            {
                "ww" => ("#555", "ww", string.Empty),
                "wr" => ("#1f6fb2", "wr", string.Empty),
                "rw" => ("#c0392b", "rw", string.Empty),
                _ => ("#2e8b57", "order", " stroke-dasharray=\"5,3\""),
            };
            var (x0, y0) = points[i];
            var (x1, y1) = points[(i + 1) % n];

            // Bend each arrow outward from the centre, so two arrows between the same pair do not overlap.
            var (mx, my) = ((x0 + x1) / 2, (y0 + y1) / 2);
            var (ox, oy) = (mx - center, my - center);
            var length = Math.Sqrt((ox * ox) + (oy * oy));
            if (length < 1)
            {
                (ox, oy, length) = (y1 - y0, x0 - x1, Math.Sqrt(((y1 - y0) * (y1 - y0)) + ((x0 - x1) * (x0 - x1))));
            }

            var bend = n <= 2 ? 45 : 22;
            var (cx, cy) = (mx + (ox / length * bend), my + (oy / length * bend));
            var (sx, sy) = Shorten(x0, y0, cx, cy);
            var (ex, ey) = Shorten(x1, y1, cx, cy);
            svg.Append(Inv, $"<path d=\"M{sx:0.#},{sy:0.#} Q{cx:0.#},{cy:0.#} {ex:0.#},{ey:0.#}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\"{dash} marker-end=\"url(#cycle-arrow-{marker})\"/>");
            var (lx, ly) = ((0.25 * sx) + (0.5 * cx) + (0.25 * ex), (0.25 * sy) + (0.5 * cy) + (0.25 * ey));
            svg.Append(Inv, $"<text x=\"{lx:0.#}\" y=\"{ly - 4:0.#}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{color}\" font-weight=\"bold\">{Html.Text(kind)}</text>");
        }

        for (var i = 0; i < n; i++)
        {
            var (x, y) = points[i];
            svg.Append(Inv, $"<rect x=\"{x - (NodeWidth / 2):0.#}\" y=\"{y - (NodeHeight / 2):0.#}\" width=\"{NodeWidth:0}\" height=\"{NodeHeight:0}\" rx=\"5\" fill=\"#f4f4f4\" stroke=\"#333\"/>");
            svg.Append(Inv, $"<text x=\"{x:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"middle\" font-size=\"11\" font-family=\"monospace\">op {Html.Text(transactions[i])}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    // From a node's centre towards the control point, to where the line leaves the node's box.
    private static (double X, double Y) Shorten(double x, double y, double towardX, double towardY)
    {
        var (dx, dy) = (towardX - x, towardY - y);
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        if (length < 1)
        {
            return (x, y);
        }

        var scale = Math.Min((NodeWidth / 2) / Math.Max(Math.Abs(dx), 1e-9), (NodeHeight / 2) / Math.Max(Math.Abs(dy), 1e-9));
        var t = Math.Min(scale, 1) + (4 / length);
        return (x + (dx * t), y + (dy * t));
    }
}
