using System.Collections.Immutable;

namespace ChaosPg.Runner.Reports;

/// <summary>One line of a chart: points in (seconds, value); a NaN value breaks the line.</summary>
internal sealed record ChartSeries(string Name, string Color, ImmutableArray<(double X, double Y)> Points, bool Dashed = false);
