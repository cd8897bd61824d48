namespace ChaosPg.Runner.Reports;

/// <summary>A shaded span of a chart's time axis (a fault or an action), in seconds since run start.</summary>
internal sealed record ChartBand(double StartSeconds, double EndSeconds, string Label, string Color);
